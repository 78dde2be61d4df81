import { Injectable } from '@nestjs/common';
import type { OrderStatus } from '@skald/contracts';
import { In, IsNull, type EntityManager } from 'typeorm';
import { OrderOutboundNoteEntity, OrderReservationEntity, OrderShipmentEntity } from './fulfilment.entities.js';
import { OrderLineEntity } from './order-line.entity.js';
import { OrderEntity, type ReviewRecord, type ShortagePolicy } from './order.entity.js';
import { OrderStatusEntryEntity } from './order-status-entry.entity.js';

/** Statuses after which an order no longer counts as open (credit exposure, lists). */
export const CLOSED_STATUSES: readonly OrderStatus[] = ['rejected', 'cancelled', 'delivered'];

export interface OrderListFilter {
  tenantId?: string;
  status?: OrderStatus;
  channel?: string;
  customerId?: string;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** The order aggregate's tables: order, lines, status history, and the fulfilment replicas. */
@Injectable()
export class OrdersRepository {
  /**
   * Inserts a new order unless its platform has one with its externalId (a concurrent one is
   * waited for). The transaction stays usable either way. @returns false when it had one.
   */
  async insertNew(manager: EntityManager, order: OrderEntity, lines: OrderLineEntity[]): Promise<boolean> {
    const inserted = await manager.createQueryBuilder().insert().into(OrderEntity).values(order).orIgnore().returning('id').execute();
    if ((inserted.raw as unknown[]).length === 0) return false;
    await manager.insert(OrderLineEntity, lines);
    return true;
  }

  findByExternalId(manager: EntityManager, tenantId: string, externalId: string): Promise<OrderEntity | null> {
    return manager.findOneBy(OrderEntity, { tenantId, externalId });
  }

  findById(manager: EntityManager, id: string): Promise<OrderEntity | null> {
    return manager.findOneBy(OrderEntity, { id });
  }

  /** The order, locked until the transaction ends: one saga step at a time per order. */
  lock(manager: EntityManager, id: string): Promise<OrderEntity | null> {
    return manager.createQueryBuilder(OrderEntity, 'o').setLock('pessimistic_write').where('o.id = :id', { id }).getOne();
  }

  lines(manager: EntityManager, orderId: string): Promise<OrderLineEntity[]> {
    return manager.find(OrderLineEntity, { where: { orderId }, order: { lineNo: 'ASC' } });
  }

  async setStatus(manager: EntityManager, order: OrderEntity, status: OrderStatus, reason: string | null): Promise<void> {
    order.status = status;
    order.updatedAt = new Date();
    await manager.update(OrderEntity, { id: order.id }, { status, updatedAt: order.updatedAt });
    await manager.insert(OrderStatusEntryEntity, { orderId: order.id, status, reason });
  }

  /** Replaces all lines of the order (a modification before the lock) and its total. */
  async replaceLines(manager: EntityManager, order: OrderEntity, lines: OrderLineEntity[], totalAmount: string): Promise<void> {
    await manager.delete(OrderLineEntity, { orderId: order.id });
    await manager.insert(OrderLineEntity, lines);
    order.totalAmount = totalAmount;
    await manager.update(OrderEntity, { id: order.id }, { totalAmount });
  }

  async saveAddress(manager: EntityManager, order: OrderEntity, address: OrderEntity['shippingAddress']): Promise<void> {
    order.shippingAddress = address;
    await manager.update(OrderEntity, { id: order.id }, { shippingAddress: address });
  }

  async saveReview(manager: EntityManager, order: OrderEntity, review: ReviewRecord | null): Promise<void> {
    order.review = review;
    await manager.update(OrderEntity, { id: order.id }, { review });
  }

  async saveShortagePolicy(manager: EntityManager, order: OrderEntity, policy: ShortagePolicy): Promise<void> {
    order.shortagePolicy = policy;
    await manager.update(OrderEntity, { id: order.id }, { shortagePolicy: policy });
  }

  history(manager: EntityManager, orderId: string): Promise<OrderStatusEntryEntity[]> {
    return manager.find(OrderStatusEntryEntity, { where: { orderId }, order: { id: 'ASC' } });
  }

  async saveReservations(manager: EntityManager, reservations: OrderReservationEntity[]): Promise<void> {
    await manager.createQueryBuilder().insert().into(OrderReservationEntity).values(reservations).orIgnore().execute();
  }

  reservations(manager: EntityManager, orderId: string): Promise<OrderReservationEntity[]> {
    return manager.find(OrderReservationEntity, { where: { orderId }, order: { batch: 'ASC', warehouse: 'ASC', sku: 'ASC' } });
  }

  notes(manager: EntityManager, orderId: string): Promise<OrderOutboundNoteEntity[]> {
    return manager.find(OrderOutboundNoteEntity, { where: { orderId }, order: { batch: 'ASC', warehouse: 'ASC' } });
  }

  /** Inserts or advances a note; never moves it back (events may arrive out of order). */
  async upsertNote(
    manager: EntityManager,
    note: { noteId: string; orderId: string; warehouse: string; status: string; lines?: Array<{ sku: string; quantity: number }>; batch?: number },
    rank: (status: string) => number,
  ): Promise<void> {
    const existing = await manager.findOneBy(OrderOutboundNoteEntity, { noteId: note.noteId });
    if (!existing) {
      await manager.insert(OrderOutboundNoteEntity, { ...note, batch: note.batch ?? 1, lines: note.lines ?? null, updatedAt: new Date() });
      return;
    }
    // A cancelled note stays cancelled; otherwise the furthest status wins.
    const status = existing.status !== 'cancelled' && rank(note.status) > rank(existing.status) ? note.status : existing.status;
    await manager.update(
      OrderOutboundNoteEntity,
      { noteId: note.noteId },
      { status, lines: note.lines ?? existing.lines, updatedAt: new Date() },
    );
  }

  /** Moves a known note forward (never back). */
  async advanceNote(manager: EntityManager, noteId: string, status: string, rank: (status: string) => number): Promise<void> {
    const existing = await manager.findOneBy(OrderOutboundNoteEntity, { noteId });
    if (existing && rank(status) > rank(existing.status)) {
      await manager.update(OrderOutboundNoteEntity, { noteId }, { status, updatedAt: new Date() });
    }
  }

  /** Marks notes cancelled (the warehouse cancelled them); unknown ones are recorded as cancelled. */
  async cancelNotes(manager: EntityManager, orderId: string, notes: ReadonlyArray<{ noteId: string; warehouse: string; lines: Array<{ sku: string; quantity: number }> }>): Promise<void> {
    for (const note of notes) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(OrderOutboundNoteEntity)
        .values({ noteId: note.noteId, orderId, warehouse: note.warehouse, status: 'cancelled', lines: note.lines, batch: 1, updatedAt: new Date() })
        .orUpdate(['status', 'updated_at'], ['note_id'])
        .execute();
    }
  }

  /** Marks replica reservations released. */
  async releaseReservations(manager: EntityManager, orderId: string, reservationIds: readonly string[] | 'all'): Promise<void> {
    if (reservationIds === 'all') {
      await manager.update(OrderReservationEntity, { orderId }, { released: true });
    } else if (reservationIds.length > 0) {
      await manager.update(OrderReservationEntity, { orderId, reservationId: In([...reservationIds]) }, { released: true });
    }
  }

  /** Cancels units of lines (a partial order's rest): `cancel` per SKU, from the last line of the SKU backwards. */
  async cancelQuantities(manager: EntityManager, lines: OrderLineEntity[], cancel: ReadonlyMap<string, number>): Promise<void> {
    for (const [sku, quantity] of cancel) {
      let left = quantity;
      for (const line of [...lines].reverse()) {
        if (left === 0) break;
        if (line.sku !== sku) continue;
        const more = Math.min(left, line.quantity - line.cancelledQuantity);
        if (more === 0) continue;
        line.cancelledQuantity += more;
        left -= more;
        await manager.update(OrderLineEntity, { orderId: line.orderId, lineNo: line.lineNo }, { cancelledQuantity: line.cancelledQuantity });
      }
    }
  }

  async saveShipment(manager: EntityManager, shipment: Omit<OrderShipmentEntity, 'deliveredAt'>): Promise<void> {
    await manager.createQueryBuilder().insert().into(OrderShipmentEntity).values({ ...shipment, deliveredAt: null }).orIgnore().execute();
  }

  async markDelivered(manager: EntityManager, shipmentId: string, deliveredAt: Date): Promise<boolean> {
    const result = await manager.update(OrderShipmentEntity, { shipmentId, deliveredAt: IsNull() }, { deliveredAt });
    return (result.affected ?? 0) > 0;
  }

  shipments(manager: EntityManager, orderId: string): Promise<OrderShipmentEntity[]> {
    return manager.find(OrderShipmentEntity, { where: { orderId }, order: { shippedAt: 'ASC' } });
  }

  /**
   * What a platform's customer owes on open orders not paid yet, in one currency (credit
   * exposure), leaving out `excludeOrderId` (the order under review).
   */
  async openUnpaidAmount(
    manager: EntityManager,
    customer: { tenantId: string; customerId: string },
    currency: string,
    excludeOrderId?: string,
  ): Promise<string> {
    const [row] = (await manager.query(
      `SELECT coalesce(sum(total_amount), 0)::text AS amount FROM sales_order
        WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3
          AND payment_status = 'pending' AND status NOT IN ('rejected', 'cancelled', 'delivered') AND id <> $4`,
      [customer.tenantId, customer.customerId, currency, excludeOrderId ?? '00000000-0000-0000-0000-000000000000'],
    )) as Array<{ amount: string }>;
    return row.amount;
  }

  /** A platform's customer's open orders not paid yet (those that use credit), in every currency, oldest first. */
  openUnpaidOrders(manager: EntityManager, customer: { tenantId: string; customerId: string }): Promise<OrderEntity[]> {
    return manager
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.tenant_id = :tenantId AND o.customer_id = :customerId', { ...customer })
      .andWhere(`o.payment_status = 'pending' AND o.status NOT IN ('rejected', 'cancelled', 'delivered')`)
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany();
  }

  list(manager: EntityManager, filter: OrderListFilter): Promise<OrderEntity[]> {
    const query = manager.createQueryBuilder(OrderEntity, 'o').orderBy('o.created_at', 'ASC').addOrderBy('o.id', 'ASC').limit(filter.limit);
    if (filter.tenantId) query.andWhere('o.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    if (filter.channel) query.andWhere('o.channel = :channel', { channel: filter.channel });
    if (filter.customerId) query.andWhere('o.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.after) {
      query.andWhere('(o.created_at, o.id) > (:createdAt, :id)', { createdAt: filter.after.createdAt, id: filter.after.id });
    }
    return query.getMany();
  }

  onHold(manager: EntityManager, tenantId?: string): Promise<OrderEntity[]> {
    return manager.find(OrderEntity, {
      where: tenantId ? { status: 'on_hold', tenantId } : { status: 'on_hold' },
      order: { updatedAt: 'ASC' },
      take: 500,
    });
  }
}
