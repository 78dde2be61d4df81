import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  CatalogItemUpdatedV1,
  OrderPlacedV1,
  OutboundNoteShippedV1,
  RefundRequestedV1,
  ShipmentDeliveredV1,
  type CatalogItemUpdated,
  type OrderPlaced,
  type OutboundNoteShipped,
  type RefundRequested,
  type ShipmentDelivered,
} from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';

/**
 * Keeps returns' replica of orders: lines and prices when an order is placed, each note's shipped lines and
 * when they left and arrived (each note once, whatever order the events come in). A return asked for is checked against
 * this replica only.
 */
@Controller()
export class ReturnableOrdersHandler {
  @OnMessage(OrderPlacedV1)
  async onOrderPlaced(@Payload() event: OrderPlaced, @Ctx() context: MessageContext): Promise<void> {
    const { manager, envelope } = context;
    if (!envelope.tenantId) throw new Error(`order ${event.orderId} placed without a tenant`);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO returnable_order (order_id, tenant_id, external_id, channel, currency, customer, payment_status, total_amount, placed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [event.orderId, envelope.tenantId, event.externalId, event.channel, event.currency, JSON.stringify(event.customer), event.paymentStatus, event.totalAmount, envelope.occurredAt],
    );
    if (inserted.length === 0) return;
    const bySku = new Map<string, { unitPrice: string; quantity: number }>();
    for (const line of event.lines) {
      const same = bySku.get(line.sku);
      bySku.set(line.sku, { unitPrice: line.unitPrice, quantity: (same?.quantity ?? 0) + line.quantity });
    }
    for (const [sku, line] of bySku) {
      await manager.query(`INSERT INTO returnable_order_line (order_id, sku, unit_price, ordered) VALUES ($1, $2, $3, $4)`, [event.orderId, sku, line.unitPrice, line.quantity]);
    }
  }

  /** The catalog's returnable flag (a SKU never seen is returnable). */
  @OnMessage(CatalogItemUpdatedV1)
  async onCatalogItem(@Payload() item: CatalogItemUpdated, @Ctx() { manager }: MessageContext): Promise<void> {
    await manager.query(
      `INSERT INTO returnable_sku (sku, returnable, updated_at) VALUES ($1, $2, now()) ON CONFLICT (sku) DO UPDATE SET returnable = EXCLUDED.returnable, updated_at = now()`,
      [item.sku, item.returnable],
    );
  }

  /** What orders refunded of an order (its cancelled lines), each refund once. */
  @OnMessage(RefundRequestedV1)
  async onOrderRefund(@Payload() event: RefundRequested, @Ctx() { manager }: MessageContext): Promise<void> {
    await manager.query(`INSERT INTO returnable_refund (refund_id, order_id, amount) VALUES ($1, $2, $3) ON CONFLICT (refund_id) DO NOTHING`, [event.refundId, event.orderId, event.amount]);
  }

  /** Recorded whether or not the order's placement has arrived yet (messages of two services come in any order). */
  @OnMessage(OutboundNoteShippedV1)
  async onNoteShipped(@Payload() event: OutboundNoteShipped, @Ctx() { manager }: MessageContext): Promise<void> {
    await manager.query(
      `INSERT INTO returnable_shipment (note_id, order_id, warehouse, lines, shipped_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (note_id) DO UPDATE SET warehouse = EXCLUDED.warehouse, lines = EXCLUDED.lines, shipped_at = EXCLUDED.shipped_at`,
      [event.noteId, event.orderId, event.warehouse, JSON.stringify(event.lines), event.shippedAt],
    );
  }

  @OnMessage(ShipmentDeliveredV1)
  async onDelivered(@Payload() event: ShipmentDelivered, @Ctx() { manager }: MessageContext): Promise<void> {
    await manager.query(
      `INSERT INTO returnable_shipment (note_id, order_id, delivered_at) VALUES ($1, $2, $3)
       ON CONFLICT (note_id) DO UPDATE SET delivered_at = EXCLUDED.delivered_at`,
      [event.noteId, event.orderId, event.deliveredAt],
    );
  }
}
