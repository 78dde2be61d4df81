import { checkReturn, DEFAULT_RETURN_POLICY, refundFor, type ReturnableOrderFacts } from './return-rules.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const order = (over: Partial<ReturnableOrderFacts> = {}): ReturnableOrderFacts => ({
  windowStart: new Date('2026-12-01T12:00:00Z'),
  lines: new Map([
    ['MUG', { unitPrice: '12.5', shipped: 3 }],
    ['TV', { unitPrice: '499', shipped: 1 }],
  ]),
  alreadyReturned: new Map(),
  notReturnable: new Set(),
  ...over,
});
const mugs = (quantity: number, reasonCode = 'CHANGED_MIND') => [{ sku: 'MUG', quantity, reasonCode }];

describe('return policy rules', () => {
  it('accepts within the window and the shipped quantity, worth the order prices, approved at once by default', () => {
    expect(checkReturn(mugs(2), order(), DEFAULT_RETURN_POLICY, NOW)).toEqual({ ok: true, amount: '25', review: [] });
  });

  it('closes the window windowDays after delivery', () => {
    const policy = { ...DEFAULT_RETURN_POLICY, windowDays: 5 };
    expect(checkReturn(mugs(1), order(), policy, new Date('2026-12-06T12:00:00Z'))).toMatchObject({ ok: true });
    expect(checkReturn(mugs(1), order(), policy, new Date('2026-12-06T12:00:01Z'))).toMatchObject({ ok: false, code: 'RETURN_WINDOW_CLOSED', details: { windowDays: 5 } });
  });

  it('counts earlier returns against what shipped, and refuses SKUs never shipped or nothing shipped at all', () => {
    expect(checkReturn(mugs(2), order({ alreadyReturned: new Map([['MUG', 2]]) }), DEFAULT_RETURN_POLICY, NOW)).toMatchObject({
      ok: false,
      code: 'RETURN_QUANTITY_EXCEEDED',
      details: { lines: [{ sku: 'MUG', requested: 2, returnable: 1 }] },
    });
    // Two lines of one SKU add up.
    expect(checkReturn([...mugs(2), ...mugs(2, 'DAMAGED')], order(), DEFAULT_RETURN_POLICY, NOW)).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED' });
    expect(checkReturn([{ sku: 'SOFA', quantity: 1, reasonCode: 'X' }], order(), DEFAULT_RETURN_POLICY, NOW)).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED' });
    expect(checkReturn(mugs(1), order({ windowStart: null }), DEFAULT_RETURN_POLICY, NOW)).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED' });
  });

  it('refuses non-returnable SKUs, and checks window, returnable and quantity in that order', () => {
    const facts = order({ notReturnable: new Set(['TV']), windowStart: new Date('2026-01-01') });
    expect(checkReturn([{ sku: 'TV', quantity: 5, reasonCode: 'X' }], facts, DEFAULT_RETURN_POLICY, NOW)).toMatchObject({ code: 'RETURN_WINDOW_CLOSED' });
    expect(checkReturn([{ sku: 'TV', quantity: 5, reasonCode: 'X' }], { ...facts, windowStart: NOW }, DEFAULT_RETURN_POLICY, NOW)).toMatchObject({ code: 'SKU_NOT_RETURNABLE', details: { skus: ['TV'] } });
  });

  it('sends listed reasons and amounts above reviewAbove to a reviewer', () => {
    const policy = { ...DEFAULT_RETURN_POLICY, reviewReasons: ['DAMAGED'], reviewAbove: '100' };
    expect(checkReturn(mugs(1, 'DAMAGED'), order(), policy, NOW)).toEqual({ ok: true, amount: '12.5', review: ['REVIEW_REASON: DAMAGED'] });
    expect(checkReturn([{ sku: 'TV', quantity: 1, reasonCode: 'DAMAGED' }], order(), policy, NOW)).toEqual({ ok: true, amount: '499', review: ['REVIEW_REASON: DAMAGED', 'REVIEW_AMOUNT: 499 above 100'] });
    expect(checkReturn(mugs(3), order(), { ...policy, reviewAbove: '37.5' }, NOW)).toEqual({ ok: true, amount: '37.5', review: [] });
  });
});

describe('refund of inspected goods', () => {
  const price = (sku: string) => ({ MUG: '10', TV: '333.33' })[sku] ?? '0';

  it('refunds A and B at the order price and C at the scrap share, rounded down', () => {
    const lines = [
      { sku: 'MUG', quantity: 2, grade: 'A' as const },
      { sku: 'MUG', quantity: 1, grade: 'B' as const },
      { sku: 'TV', quantity: 1, grade: 'C' as const },
    ];
    expect(refundFor(lines, price, 33.33, '1000')).toEqual({
      amount: '141.0988',
      capped: false,
      lines: [
        { sku: 'MUG', quantity: 2, grade: 'A', amount: '20' },
        { sku: 'MUG', quantity: 1, grade: 'B', amount: '10' },
        { sku: 'TV', quantity: 1, grade: 'C', amount: '111.0988' },
      ],
    });
  });

  it('never refunds more than is left of the payment, nor anything of an unpaid order', () => {
    expect(refundFor([{ sku: 'MUG', quantity: 5, grade: 'A' }], price, 100, '30')).toMatchObject({ amount: '30', capped: true });
    expect(refundFor([{ sku: 'MUG', quantity: 5, grade: 'A' }], price, 100, '-5')).toMatchObject({ amount: '0', capped: true });
  });
});
