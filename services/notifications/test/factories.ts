import { randomBytes, randomUUID } from 'node:crypto';
import type { OrderStatusChanged, OutboundNotesCreated, WebhookSubscriptionCreated } from '@skald/contracts';

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
