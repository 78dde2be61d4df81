import { randomBytes, randomUUID } from 'node:crypto';
import type {
  LowStockAlert,
  OrderStatusChanged,
  OutboundNotesCancelled,
  OutboundNotesCreated,
  RefundRequested,
  ReturnRefundRequested,
  ReturnStatusChanged,
  WebhookSubscriptionCreated,
} from '@skald/contracts';

const suffix = () => randomUUID().slice(0, 8);

/** A Standard Webhooks signing secret, as the gateway generates them. */
export const aWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** A status change of a fresh order (unique ids, customer e-mail and phone). */
export function aStatusChange(overrides: Partial<OrderStatusChanged> = {}): OrderStatusChanged {
  const id = suffix();
  return {
    orderId: `ord-${id}`,
    externalId: `EXT-${id}`,
    status: 'shipped',
    previousStatus: 'packed',
    reason: null,
    customer: { id: `cust-${id}`, name: 'Ada Lovelace', email: `ada-${id}@example.com`, phone: `+4912345${id.replace(/\D/g, '').padEnd(4, '0').slice(0, 4)}` },
    shipments: [{ shipmentId: `shp-${id}`, carrier: 'DHL', trackingNumber: `JD0146${id}` }],
    changedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function aSubscription(overrides: Partial<WebhookSubscriptionCreated> & Pick<WebhookSubscriptionCreated, 'url'>): WebhookSubscriptionCreated {
  return {
    subscriptionId: `sub-${suffix()}`,
    tenantId: `tenant-${suffix()}`,
    events: ['*'],
    secret: aWebhookSecret(),
    ...overrides,
  };
}

export function anOutboundNotesCreated(notes: Array<{ warehouse: string; lines?: Array<{ sku: string; quantity: number }> }>): OutboundNotesCreated {
  const id = suffix();
  return {
    orderId: `ord-${id}`,
    externalId: `EXT-${id}`,
    notes: notes.map((note, index) => ({
      noteId: `ON-${id}-${index + 1}`,
      warehouse: note.warehouse,
      lines: note.lines ?? [{ sku: `SKU-${id}`, quantity: 2 }],
    })),
  };
}

export function aLowStockAlert(overrides: Partial<LowStockAlert> = {}): LowStockAlert {
  return { sku: `SKU-${suffix()}`, warehouse: 'WH-NORTH', available: 3, onHand: 10, reserved: 7, threshold: 5, ...overrides };
}

export function aRefundRequested(overrides: Partial<RefundRequested> = {}): RefundRequested {
  const id = suffix();
  return {
    refundId: `ord-${id}:order`,
    orderId: `ord-${id}`,
    externalId: `EXT-${id}`,
    amount: '129.90',
    currency: 'EUR',
    scope: 'order_cancelled',
    reason: 'customer cancelled',
    ...overrides,
  };
}

/** The warehouse's answer to a cancel command: the notes as given, no shipped ones. */
export function anOutboundNotesCancelled(notes: OutboundNotesCancelled['cancelled'], overrides: Partial<OutboundNotesCancelled> = {}): OutboundNotesCancelled {
  return { orderId: `ord-${suffix()}`, reason: 'customer cancelled', cancelled: notes, shipped: [], ...overrides };
}

/** A status change of a fresh return (RMA) of a fresh order, its customer with a unique e-mail. */
export function aReturnStatusChange(overrides: Partial<ReturnStatusChanged> = {}): ReturnStatusChanged {
  const id = suffix();
  return {
    returnId: randomUUID(),
    rmaNumber: `RMA-2026-${String(parseInt(id, 16) % 1_000_000).padStart(6, '0')}`,
    orderId: randomUUID(),
    externalId: `EXT-${id}`,
    status: 'requested',
    previousStatus: null,
    reason: null,
    customer: { id: `cust-${id}`, name: 'Grace Hopper', email: `grace-${id}@example.com`, phone: '+4917055500' },
    changedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** The refund instruction of a fresh inspected return: one line of each grade. */
export function aReturnRefundRequested(overrides: Partial<ReturnRefundRequested> = {}): ReturnRefundRequested {
  const returnId = randomUUID();
  const id = suffix();
  return {
    refundId: `return:${returnId}`,
    returnId,
    rmaNumber: `RMA-2026-${String(parseInt(id, 16) % 1_000_000).padStart(6, '0')}`,
    orderId: randomUUID(),
    externalId: `EXT-${id}`,
    amount: '47.50',
    currency: 'EUR',
    lines: [
      { sku: `MUG-${id}`, quantity: 2, grade: 'A', amount: '30.00' },
      { sku: `PLATE-${id}`, quantity: 1, grade: 'B', amount: '15.00' },
      { sku: `BOWL-${id}`, quantity: 1, grade: 'C', amount: '2.50' },
    ],
    ...overrides,
  };
}
