import 'reflect-metadata';

export * from './envelope/envelope.js';
export * from './registry/message-definition.js';
export * from './validation/validate.js';
export * from './validation/input-screening.js';
export * from './asyncapi/asyncapi.js';
export * from './errors/skald-error.js';

// Message contracts, by owning service.
export * from './common/values.js';
export * from './common/amounts.js';
export * from './common/money.js';
export * from './gateway/platform-registered.v1.js';
export * from './gateway/webhook-subscription-created.v1.js';
export * from './gateway/webhook-subscription-created.v2.js';
export * from './gateway/webhook-subscription-secret-rotated.v1.js';
export * from './gateway/webhook-subscription-deleted.v1.js';
export * from './inventory/catalog-item-updated.v1.js';
export * from './inventory/reserve-stock.v1.js';
export * from './inventory/stock-reserved.v1.js';
export * from './inventory/stock-reservation-rejected.v1.js';
export * from './inventory/backorder-allocated.v1.js';
export * from './inventory/release-stock.v1.js';
export * from './inventory/stock-released.v1.js';
export * from './inventory/reservation-expired.v1.js';
export * from './inventory/low-stock-alert.v1.js';
export * from './orders/order-placed.v1.js';
export * from './orders/review-order.v1.js';
export * from './orders/order-status-changed.v1.js';
export * from './orders/refund-requested.v1.js';
export * from './warehouse/create-outbound-notes.v1.js';
export * from './warehouse/outbound-notes-created.v1.js';
export * from './warehouse/outbound-note-progressed.v1.js';
export * from './warehouse/outbound-note-shipped.v1.js';
export * from './warehouse/shipment-delivered.v1.js';
export * from './warehouse/cancel-outbound-notes.v1.js';
export * from './warehouse/outbound-notes-cancelled.v1.js';
export * from './returns/return-status-changed.v1.js';
