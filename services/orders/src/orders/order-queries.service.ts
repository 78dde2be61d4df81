import { BadRequestException, Injectable } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { tenantOf, type Caller } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { normalizeAmount } from '../shared/money.js';
import type { ListOrdersQuery, OrderPageView, OrderSummaryView, OrderView } from './dto/order-view.dto.js';
import type { OrderEntity } from './order.entity.js';
import { OrdersRepository } from './orders.repository.js';
import { withRecipient } from './shipping-address.js';
import { visibleTo } from './visibility.js';
import { SagaRepository } from '../saga/saga.repository.js';

function encodeCursor(order: OrderEntity): string {
  return Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const at = new Date(createdAt);
    if (Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { createdAt: at, id };
  } catch {
    throw new BadRequestException({ code: 'VALIDATION_FAILED', detail: 'Invalid cursor.', errors: [{ field: 'cursor', message: 'cursor is not one this API issued' }] });
  }
}

/** What the API shows of orders. A platform sees only its own: another tenant's order is a 404. */
@Injectable()
export class OrderQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly sagas: SagaRepository,
  ) {}

  async get(caller: Caller, id: string): Promise<OrderView> {
    const manager = this.dataSource.manager;
    const order = await this.orders.findById(manager, id);
    if (!order || !visibleTo(caller, order)) {
      throw new SkaldError('ORDER_NOT_FOUND', `no order ${id}`, { retryable: false });
    }
    const [lines, history, reservations, notes, shipments, saga] = await Promise.all([
      this.orders.lines(manager, id),
      this.orders.history(manager, id),
      this.orders.reservations(manager, id),
      this.orders.notes(manager, id),
      this.orders.shipments(manager, id),
      this.sagas.find(manager, id),
    ]);
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
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: page.map(summary), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
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
