import { reviewOrder, type ReviewInput } from './review-rules.js';

function anOrder(overrides: Partial<ReviewInput> = {}): ReviewInput {
  return {
    currency: 'EUR',
    totalAmount: '200',
    paymentStatus: 'pending',
    paymentAmount: '0',
    customer: { email: 'ann@example.com', name: 'Ann' },
    shippingAddress: { line1: 'Main St 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
    lines: [{ sku: 'MUG', quantity: 2, unitPrice: '100' }],
    catalog: new Map([['MUG', { listPrice: '100', currency: 'EUR', sellable: true }]]),
    policy: { priceTolerancePct: 5, reviewAmountThreshold: '1000' },
    credit: { limit: null, currency: null, openUnpaid: '0' },
    ...overrides,
  };
}

describe('automatic review rules', () => {
  it('approves a complete order within every limit', () => {
    expect(reviewOrder(anOrder())).toEqual({ outcome: 'approved', reasons: [] });
  });

  it('rejects unknown and unsellable SKUs and lists every failure', () => {
    const result = reviewOrder(
      anOrder({
        lines: [
          { sku: 'GHOST', quantity: 1, unitPrice: '1' },
          { sku: 'OLD', quantity: 1, unitPrice: '1' },
        ],
        catalog: new Map([['OLD', { listPrice: '1', currency: 'EUR', sellable: false }]]),
      }),
    );
    expect(result.outcome).toBe('rejected');
    expect(result.reasons.map((r) => r.code)).toEqual(['SKU_UNKNOWN', 'SKU_NOT_SELLABLE']);
  });

  it('accepts a price exactly at the tolerance and rejects one a cent below', () => {
    expect(reviewOrder(anOrder({ lines: [{ sku: 'MUG', quantity: 1, unitPrice: '95' }], totalAmount: '95' })).outcome).toBe('approved');
    const below = reviewOrder(anOrder({ lines: [{ sku: 'MUG', quantity: 1, unitPrice: '94.99' }], totalAmount: '94.99' }));
    expect(below).toMatchObject({ outcome: 'rejected', reasons: [{ code: 'PRICE_BELOW_TOLERANCE' }] });
    expect(below.reasons[0].message).toContain('below 95');
  });

  it('rejects an incomplete order and a currency the SKU is not listed in', () => {
    const result = reviewOrder(anOrder({ customer: { email: '', name: 'Ann' }, currency: 'USD' }));
    expect(result.reasons.map((r) => r.code)).toEqual(['INCOMPLETE_ORDER', 'CURRENCY_MISMATCH']);
  });

  it('holds an order above the tenant threshold', () => {
    const result = reviewOrder(anOrder({ totalAmount: '1000.0001' }));
    expect(result).toMatchObject({ outcome: 'on_hold', reasons: [{ code: 'AMOUNT_ABOVE_THRESHOLD' }] });
    expect(reviewOrder(anOrder({ totalAmount: '1000' })).outcome).toBe('approved');
  });

  it('holds an unpaid order when open unpaid orders plus this one exceed the credit limit, not a paid one', () => {
    const credit = { limit: '500', currency: 'EUR', openUnpaid: '350' };
    expect(reviewOrder(anOrder({ credit })).reasons.map((r) => r.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
    expect(reviewOrder(anOrder({ credit: { limit: '550', currency: 'EUR', openUnpaid: '350' } })).outcome).toBe('approved');
    expect(reviewOrder(anOrder({ credit, paymentStatus: 'paid', paymentAmount: '200' })).outcome).toBe('approved');
  });

  it('reports both soft rules together', () => {
    const result = reviewOrder(anOrder({ totalAmount: '2000', credit: { limit: '100', currency: 'EUR', openUnpaid: '0' } }));
    expect(result.reasons.map((r) => r.code)).toEqual(['AMOUNT_ABOVE_THRESHOLD', 'CREDIT_LIMIT_EXCEEDED']);
  });

  it('holds an unpaid order in another currency than the credit limit instead of comparing amounts of two currencies', () => {
    const usd = { currency: 'USD', catalog: new Map([['MUG', { listPrice: '100', currency: 'USD', sellable: true }]]) };
    // Far below the EUR limit in number, yet not covered by it: no exchange rate makes 200 USD fit under 1000 EUR.
    const held = reviewOrder(anOrder({ ...usd, credit: { limit: '1000', currency: 'EUR', openUnpaid: '0' } }));
    expect(held).toMatchObject({ outcome: 'on_hold', reasons: [{ code: 'CREDIT_LIMIT_CURRENCY_MISMATCH' }] });
    expect(held.reasons[0].message).toBe("unpaid order in USD: the customer's credit limit 1000 is in EUR");
    expect(reviewOrder(anOrder({ ...usd, paymentStatus: 'paid', paymentAmount: '200', credit: { limit: '1000', currency: 'EUR', openUnpaid: '0' } })).outcome).toBe('approved');
    expect(reviewOrder(anOrder({ ...usd, credit: { limit: null, currency: null, openUnpaid: '0' } })).outcome).toBe('approved');
  });

  describe('order amount check (订单金额审核)', () => {
    const paid = (paymentAmount: string, lines: ReviewInput['lines']) =>
      reviewOrder(anOrder({ paymentStatus: 'paid', paymentAmount, lines, totalAmount: paymentAmount, catalog: new Map([['MUG', { listPrice: '0.1', currency: 'EUR', sellable: true }]]) }));

    it('approves a paid order whose payment is exactly the sum of its lines, compared in minor units (0.1 × 3 is 0.3)', () => {
      expect(paid('0.3', [{ sku: 'MUG', quantity: 3, unitPrice: '0.1' }])).toEqual({ outcome: 'approved', reasons: [] });
      expect(paid('0.3', [{ sku: 'MUG', quantity: 1, unitPrice: '0.1' }, { sku: 'MUG', quantity: 1, unitPrice: '0.2' }])).toEqual({ outcome: 'approved', reasons: [] });
    });

    it('holds a paid order whose payment differs from the sum of its lines by a ten-thousandth, telling the reviewer both figures', () => {
      const result = paid('0.3001', [{ sku: 'MUG', quantity: 3, unitPrice: '0.1' }]);
      expect(result).toEqual({
        outcome: 'on_hold',
        reasons: [{ code: 'AMOUNT_MISMATCH', message: 'paid 0.3001 EUR, but the lines add up to 0.3 EUR', details: { paymentAmount: '0.3001', linesTotal: '0.3', currency: 'EUR' } }],
      });
      expect(paid('0.2999', [{ sku: 'MUG', quantity: 3, unitPrice: '0.1' }]).reasons.map((r) => r.code)).toEqual(['AMOUNT_MISMATCH']);
    });

    it('compares with the lines, not with a stored total', () => {
      const result = reviewOrder(anOrder({ paymentStatus: 'paid', paymentAmount: '300', totalAmount: '300' }));
      expect(result.reasons).toEqual([expect.objectContaining({ code: 'AMOUNT_MISMATCH', details: expect.objectContaining({ linesTotal: '200' }) })]);
    });

    it('does not check an unpaid order (nothing was paid yet)', () => {
      expect(reviewOrder(anOrder({ paymentStatus: 'pending', paymentAmount: '0' })).outcome).toBe('approved');
    });
  });
});
