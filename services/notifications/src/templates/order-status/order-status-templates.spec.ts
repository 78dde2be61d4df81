import { ORDER_STATUSES, type OrderStatus } from '@skald/contracts';
import { orderStatusEmail, type OrderStatusView } from './index.js';

const anOrder = (status: OrderStatus, overrides: Partial<OrderStatusView> = {}): OrderStatusView => ({
  externalId: 'EXT-1',
  customerName: 'Ada',
  status,
  previousStatus: null,
  reason: null,
  shipments: [],
  ...overrides,
});

describe('order status e-mails', () => {
  it.each(ORDER_STATUSES)('%s has its own subject naming the order, and text and HTML parts', (status) => {
    const email = orderStatusEmail(anOrder(status));
    expect(email.subject).toContain('EXT-1');
    // Not the default template's wording: each status has a template of its own.
    expect(email.subject).not.toMatch(/ is now /);
    expect(email.text).toContain('Hello Ada,');
    expect(email.html).toContain('<p>Hello Ada,</p>');
  });

  it('gives every status a different subject', () => {
    const subjects = ORDER_STATUSES.map((status) => orderStatusEmail(anOrder(status)).subject);
    expect(new Set(subjects).size).toBe(ORDER_STATUSES.length);
  });

  it('lists carriers and tracking numbers when shipped', () => {
    const email = orderStatusEmail(anOrder('shipped', { shipments: [{ carrier: 'DHL', trackingNumber: 'JD1' }] }));
    expect(email.subject).toBe('Your order EXT-1 has shipped');
    expect(email.text).toContain('- DHL: tracking number JD1');
    expect(email.html).toContain('<li>DHL: tracking number JD1</li>');
  });

  it('lists carriers and tracking numbers when partially shipped, and says the rest follows', () => {
    const email = orderStatusEmail(anOrder('partially_shipped', { shipments: [{ carrier: 'DHL', trackingNumber: 'JD1' }] }));
    expect(email.subject).toBe('Part of your order EXT-1 has shipped');
    expect(email.text).toContain('- DHL: tracking number JD1');
    expect(email.text).toContain('the rest of your order');
  });

  it('tells a backordered customer that the order waits for stock, without internal reasons', () => {
    const email = orderStatusEmail(anOrder('backordered', { reason: 'SKU-1 short by 3 in WH-1' }));
    expect(email.subject).toBe('Your order EXT-1 is waiting for stock');
    expect(email.text).not.toContain('SKU-1');
  });

  it('tells the reason of a rejection or cancellation, escaped in HTML', () => {
    const email = orderStatusEmail(anOrder('cancelled', { reason: 'out of stock <SKU-1>' }));
    expect(email.text).toContain('Reason: out of stock <SKU-1>');
    expect(email.html).toContain('Reason: out of stock &lt;SKU-1&gt;');
  });

  it('falls back to the default template for a status without one', () => {
    const email = orderStatusEmail(anOrder('returned_to_sender' as OrderStatus));
    expect(email.subject).toBe('Your order EXT-1 is now returned to sender');
  });
});
