import type { SchemaObject } from '@nestjs/swagger';

// Response schemas of resources the owning services define. The gateway passes their answers
// through as they are; these document what clients rely on (the services may add fields, hence
// additionalProperties).

const string: SchemaObject = { type: 'string' };
const nullableString: SchemaObject = { type: 'string', nullable: true };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const nullableDateTime: SchemaObject = { type: 'string', format: 'date-time', nullable: true };
const integer: SchemaObject = { type: 'integer' };
const decimal: SchemaObject = { type: 'string', description: 'Decimal string.', example: '12.5000' };
const object: SchemaObject = { type: 'object', additionalProperties: true };

export function resource(description: string, properties: Record<string, SchemaObject>, required = Object.keys(properties)): SchemaObject {
  return { type: 'object', description, properties, required, additionalProperties: true };
}

/** A page of resources: `items`, and the cursor of the next page. */
export function page(description: string, item: SchemaObject): SchemaObject {
  return resource(description, {
    items: { type: 'array', items: item },
    nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last one.' },
  });
}

const stockLine = resource('A quantity of a SKU.', { sku: string, quantity: integer });

const orderSummary: Record<string, SchemaObject> = {
  id: { type: 'string', format: 'uuid' },
  externalId: string,
  tenantId: string,
  channel: string,
  status: { type: 'string', example: 'received' },
  customerId: string,
  currency: string,
  totalAmount: decimal,
  createdAt: dateTime,
  updatedAt: dateTime,
};

export const ORDER_SUMMARY_SCHEMA = resource('An order in a list.', orderSummary);

export const ORDER_SCHEMA = resource(
  'An order with its lines, review, reservations, outbound notes, shipments and status history.',
  {
    ...orderSummary,
    customer: object,
    lines: { type: 'array', items: resource('An order line.', { sku: string, quantity: integer, unitPrice: decimal }) },
    shippingAddress: resource('Where the order ships, and to whom (name and phone are the customer\'s unless the order named someone else).', {
      line1: string,
      line2: nullableString,
      city: string,
      postalCode: string,
      country: string,
      region: nullableString,
      name: string,
      phone: nullableString,
      company: nullableString,
    }),
    payment: resource('Payment.', { method: string, status: { type: 'string', enum: ['pending', 'paid'] }, amount: decimal }),
    requestedDeliveryDate: nullableString,
    review: { ...object, nullable: true, description: 'The outcome of the review, with its reasons and any decision.' },
    reservations: {
      type: 'array',
      items: resource('Stock reserved for the order.', { id: string, warehouse: string, sku: string, quantity: integer, batch: integer, released: { type: 'boolean' } }),
    },
    outboundNotes: {
      type: 'array',
      items: resource('An outbound note of the order (GET /v1/outbound-notes/{id}).', {
        id: { type: 'string', format: 'uuid' },
        warehouse: string,
        status: string,
        batch: integer,
        lines: { type: 'array', items: stockLine, nullable: true },
      }),
    },
    shipments: {
      type: 'array',
      items: resource('A shipment of the order (POST /v1/shipments/{id}/delivered).', {
        id: { type: 'string', format: 'uuid' },
        noteId: { type: 'string', format: 'uuid' },
        warehouse: string,
        carrier: string,
        trackingNumber: string,
        shippedAt: dateTime,
        deliveredAt: nullableDateTime,
      }),
    },
    statusHistory: { type: 'array', items: resource('A status the order had.', { status: string, at: dateTime, reason: nullableString }) },
  },
  ['id', 'externalId', 'status', 'channel', 'createdAt'],
);

export const ORDER_PAGE_SCHEMA = page('A page of orders, newest first.', ORDER_SUMMARY_SCHEMA);

const reason = resource('Why.', { code: string, message: string });

export const PENDING_REVIEWS_SCHEMA = resource('Orders waiting for a reviewer.', {
  items: {
    type: 'array',
    items: resource('An order waiting for review.', {
      id: { type: 'string', format: 'uuid', description: "The held order's id (POST /v1/orders/{id}/review)." },
      tenantId: string,
      externalId: string,
      totalAmount: decimal,
      currency: string,
      customerId: string,
      reasons: { type: 'array', items: reason },
      heldAt: dateTime,
    }),
  },
});

export const REVIEW_DECIDED_SCHEMA = resource('The order after the decision.', {
  id: { type: 'string', format: 'uuid' },
  status: { type: 'string', example: 'approved' },
});

export const CUSTOMER_CREDIT_SCHEMA = resource("A platform's customer's credit.", {
  platformId: string,
  customerId: string,
  creditLimit: { ...decimal, nullable: true, description: 'Decimal string; null when there is no limit (no credit check).' },
  currency: { ...nullableString, description: "The limit's currency; null without a limit.", example: 'EUR' },
  openExposure: {
    ...decimal,
    nullable: true,
    description: "Open unpaid orders in the limit's currency, which the limit is checked against; null without a limit.",
  },
  openOrders: {
    type: 'array',
    description: 'Open unpaid orders of the customer on this platform, in every currency, oldest first.',
    items: resource('An open unpaid order.', {
      id: { type: 'string', format: 'uuid' },
      amount: decimal,
      currency: string,
      status: { type: 'string', example: 'approved' },
      placedAt: dateTime,
    }),
  },
  updatedAt: { ...nullableDateTime, description: 'When staff last set the limit; null if never.' },
});

export const CATALOG_ITEM_SCHEMA = resource('A catalog item.', {
  sku: string,
  name: string,
  listPrice: decimal,
  currency: string,
  sellable: { type: 'boolean' },
  returnable: { type: 'boolean' },
  updatedAt: dateTime,
});

export const WAREHOUSE_SCHEMA = resource('A warehouse.', { code: string, name: nullableString, priority: integer });

export const RECEIPT_SCHEMA = resource('A booked receipt.', {
  id: { type: 'string', format: 'uuid' },
  warehouse: string,
  lines: { type: 'array', items: stockLine },
  receivedAt: dateTime,
});

const levels = {
  onHand: integer,
  reserved: integer,
  quarantined: { ...integer, description: 'Damaged returned units: on hand, never available.' },
  available: { ...integer, description: 'onHand - reserved - quarantined' },
};

/** The stock ledger's kinds of movement (the inventory service's). */
export const STOCK_MOVEMENT_KINDS = ['receipt', 'reserve', 'ship', 'release', 'return_restocked', 'return_quarantined', 'return_written_off'];

export const STOCK_SCHEMA = resource('Stock of a SKU per warehouse and in total.', {
  sku: string,
  warehouses: { type: 'array', items: resource('Stock in one warehouse.', { warehouse: string, ...levels }) },
  totals: resource('Stock in all warehouses.', levels),
});

export const LEDGER_PAGE_SCHEMA = page(
  'Stock movements of a SKU.',
  resource('A stock movement.', {
    id: string,
    at: dateTime,
    warehouse: string,
    sku: string,
    kind: {
      type: 'string',
      enum: STOCK_MOVEMENT_KINDS,
      example: 'reserve',
      description:
        'Returned goods by grade: return_restocked (A, back on hand and available), return_quarantined (B, on hand but quarantined), ' +
        'return_written_off (C, scrap: no level changes, writtenOff counts the units).',
    },
    onHandDelta: integer,
    reservedDelta: integer,
    quarantinedDelta: integer,
    onHandAfter: integer,
    reservedAfter: integer,
    quarantinedAfter: integer,
    writtenOff: { ...integer, description: 'Units written off (return_written_off); 0 otherwise.' },
    orderId: nullableString,
    reference: { ...nullableString, description: 'What caused it: the receipt, reservation, outbound note, release:<order id>, or return id.' },
  }),
);

const shipmentFields = { id: { type: 'string', format: 'uuid' } as SchemaObject, carrier: string, trackingNumber: string, shippedAt: dateTime };

export const OUTBOUND_NOTE_SCHEMA = resource('An outbound note: one order, one warehouse.', {
  id: { type: 'string', format: 'uuid' },
  orderId: string,
  externalId: string,
  tenantId: nullableString,
  warehouse: string,
  status: { type: 'string', enum: ['created', 'confirmed', 'picking', 'packed', 'shipped', 'cancelled'] },
  lines: { type: 'array', items: stockLine },
  recipientName: string,
  recipientPhone: nullableString,
  recipientCompany: nullableString,
  shipTo: object,
  createdAt: dateTime,
  confirmedAt: nullableDateTime,
  pickingAt: nullableDateTime,
  packedAt: nullableDateTime,
  shippedAt: nullableDateTime,
  shipment: { ...resource('The shipment, once shipped.', { ...shipmentFields, deliveredAt: nullableDateTime }), nullable: true },
});

export const OUTBOUND_NOTE_PAGE_SCHEMA = page('Outbound notes, oldest first.', OUTBOUND_NOTE_SCHEMA);

export const DELIVERY_SCHEMA = resource('A delivered shipment.', {
  ...shipmentFields,
  noteId: { type: 'string', format: 'uuid' },
  orderId: string,
  deliveredAt: dateTime,
});

export const CANCELLATION_ACCEPTED_SCHEMA = resource('A cancellation, done or under way.', {
  id: { type: 'string', format: 'uuid' },
  status: { type: 'string', example: 'picking', description: 'The status now; `cancelled` once compensation is done.' },
  cancellation: { type: 'string', enum: ['cancelled', 'compensating'] },
});
