import { RETURN_STATUSES } from '@skald/contracts';
import { customerReason, returnStatusEmail, SILENT_RETURN_STATUSES, type ReturnStatusView } from './index.js';

const aReturn = (overrides: Partial<ReturnStatusView> = {}): ReturnStatusView => ({
  rmaNumber: 'RMA-2026-000123',
  externalId: 'EXT-1',
  customerName: 'Ada',
  reason: null,
  refund: null,
  ...overrides,
});

const customerStatuses = RETURN_STATUSES.filter((status) => !(SILENT_RETURN_STATUSES as readonly string[]).includes(status));

describe('return status e-mails', () => {
  it.each(customerStatuses)('%s has a subject naming the RMA, and text and HTML parts that name the order', (status) => {
    const email = returnStatusEmail(status, aReturn())!;
    expect(email.subject).toContain('RMA-2026-000123');
    expect(email.text).toContain('Hello Ada,');
    expect(email.text).toContain('EXT-1');
    expect(email.html).toContain('<p>Hello Ada,</p>');
  });

  it('gives every status the customer hears about a different subject', () => {
    const subjects = customerStatuses.map((status) => returnStatusEmail(status, aReturn())!.subject);
    expect(new Set(subjects).size).toBe(customerStatuses.length);
    expect(customerStatuses).toEqual(['requested', 'approved', 'rejected', 'received', 'refunded', 'exchanged', 'cancelled']);
  });

  it.each(SILENT_RETURN_STATUSES)('writes nothing to the customer for %s', (status) => {
    expect(returnStatusEmail(status, aReturn())).toBeNull();
  });

  it('says the amount refunded, and still says the refund when the event has none', () => {
    expect(returnStatusEmail('refunded', aReturn({ refund: { amount: '47.50', currency: 'EUR' } }))!.text).toContain(
      'We have refunded 47.50 EUR for your return RMA-2026-000123 (order EXT-1).',
    );
    expect(returnStatusEmail('refunded', aReturn())!.text).toContain('We have refunded your return RMA-2026-000123 (order EXT-1).');
  });

  it('tells the reason of a rejection or cancellation, escaped in HTML', () => {
    const email = returnStatusEmail('rejected', aReturn({ reason: 'seal <broken>' }))!;
    expect(email.text).toContain('Reason: seal <broken>');
    expect(email.html).toContain('Reason: seal &lt;broken&gt;');
    expect(returnStatusEmail('cancelled', aReturn({ reason: 'changed my mind' }))!.text).toContain('Reason: changed my mind');
    expect(returnStatusEmail('cancelled', aReturn())!.text).not.toContain('Reason');
  });
});

describe('customerReason', () => {
  it.each([
    ['REJECTED_BY_REVIEWER: the mug was used', 'the mug was used'],
    ['CANCELLED by shop-7: ordered the wrong size', 'ordered the wrong size'],
    ['POLICY: no review needed', 'no review needed'],
    ['CANCELLED by shop-7', null],
    ['RETURN_WINDOW_CLOSED', null],
    ['Item arrived broken', 'Item arrived broken'],
    ['arrived broken: see photo', 'arrived broken: see photo'],
    ['', null],
    [null, null],
  ])('%j → %j', (reason, expected) => {
    expect(customerReason(reason)).toBe(expected);
  });
});
