import { Injectable } from '@nestjs/common';
import { SkaldError, normalizeAmount } from '@skald/contracts';
import { decodeTimeIdCursor, encodeTimeIdCursor, tenantOf, type Caller } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import type { ListOrdersQuery, OrderPageView, OrderSummaryView, OrderView } from './dto/order-view.dto.js';
import type { OrderEntity } from './order.entity.js';
import { OrdersRepository } from './orders.repository.js';
import { withRecipient } from './shipping-address.js';
import { visibleTo } from './visibility.js';
import { OrderSagaStore } from '../saga/order-saga.store.js';

/** What the API shows of orders. A platform sees only its own: another tenant's order is a 404. */
@Injectable()
export class OrderQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
  ) {}

  async get(caller: Caller, id: string): Promise<OrderView> {
    const manager = this.dataSource.manager;
    const details = await this.orders.withDetails(manager, id);
    if (!details || !visibleTo(caller, details.order)) {
      throw new SkaldError('ORDER_NOT_FOUND', `no order ${id}`, { retryable: false });
    }
    // After the order, not beside it: the saga commits with the order's status, so it is at least as new.
    const saga = await this.sagas.find(manager, id);
    const { order, lines, history, reservations, notes, shipments } = details;
    const cancellation = saga?.data.cancellation;
    return {
      ...summary(order),
      customer: { ...order.customer },
      lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: normalizeAmount(line.unitPrice), cancelledQuantity: line.cancelledQuantity })),
      shippingAddress: withRecipient(order.shippingAddress, order.customer),
      payment: { method: order.paymentMethod, status: order.paymentStatus, amount: normalizeAmount(order.paymentAmount) },
      requestedDeliveryDate: order.requestedDeliveryDate,
      review: order.review,
      shortagePolicy: order.shortagePolicy,
      replacementFor: order.replacementFor,
      saga: saga && {
        state: saga.state,
        deadlineAt: saga.deadlineAt?.toISOString() ?? null,
        stuck: saga.data.stuck ?? false,
        cancellation: cancellation
          ? { code: cancellation.code, reason: cancellation.reason, requestedBy: cancellation.requestedBy, requestedAt: cancellation.requestedAt, notes: cancellation.notes, stock: cancellation.stock }
          : null,
      },
      reservations: reservations.map(({ reservationId, warehouse, sku, quantity, batch, released }) => ({ id: reservationId, warehouse, sku, quantity, batch, released })),
      outboundNotes: notes.map(({ noteId, warehouse, status, batch, lines: noteLines }) => ({ id: noteId, warehouse, status, batch, lines: noteLines })),
      shipments: shipments.map((s) => ({
        id: s.shipmentId,
        noteId: s.noteId,
        warehouse: s.warehouse,
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        shippedAt: s.shippedAt.toISOString(),
        deliveredAt: s.deliveredAt?.toISOString() ?? null,
      })),
      statusHistory: history.map((entry) => ({ status: entry.status, at: entry.at.toISOString(), reason: entry.reason })),
    };
  }

  async list(caller: Caller, query: ListOrdersQuery): Promise<OrderPageView> {
    const limit = query.limit ?? 20;
    const rows = await this.orders.list(this.dataSource.manager, {
      tenantId: caller.kind === 'platform' ? tenantOf(caller) : undefined,
      status: query.status,
      channel: query.channel,
      customerId: query.customerId,
      after: query.cursor ? decodeTimeIdCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: page.map(summary), nextCursor: rows.length > limit ? encodeTimeIdCursor(page[page.length - 1].createdAt, page[page.length - 1].id) : null };
  }
}

function summary(order: OrderEntity): OrderSummaryView {
  return {
    id: order.id,
    externalId: order.externalId,
    tenantId: order.tenantId,
    channel: order.channel,
    status: order.status,
    customerId: order.customerId,
    currency: order.currency,
    totalAmount: normalizeAmount(order.totalAmount),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
