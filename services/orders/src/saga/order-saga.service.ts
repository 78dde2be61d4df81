import { Injectable, Logger } from '@nestjs/common';
import {
  CreateOutboundNotesV1,
  OrderStatusChangedV1,
  ReserveStockV1,
  type MessageDefinition,
  type MessageEnvelope,
  type OrderStatus,
  type OutboundNoteProgressed,
  type OutboundNoteShipped,
  type OutboundNotesCreated,
  type ShipmentDelivered,
  type StockReservationRejected,
  type StockReserved,
} from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import type { OrderEntity, ReviewRecord } from '../orders/order.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { fulfilmentStatus, noteRank, statusRank } from './fulfilment-status.js';
import type { OrderSagaEntity, SagaState } from './order-saga.entity.js';
import { deadlineFor } from './saga-deadlines.js';
import { SagaRepository } from './saga.repository.js';

/** Sends a message within the current transaction (outbox), caused by the current one if any. */
export type Send = <P extends object>(definition: MessageDefinition<P>, payload: P) => Promise<MessageEnvelope<P>>;

/** The message being handled, for the saga's step log. */
export interface Incoming {
  type: string;
  /** The message id; null for a step started by an HTTP request. */
  id: string | null;
}

/**
 * The order saga (orchestrated, persisted): review → reserve → outbound notes → pick/pack/ship →
 * delivery. Every step locks the order and its saga row, checks the saga is in the state that
 * expects the message (anything else is a duplicate or a late message: logged and ignored), moves
 * the order status, logs the step, and sends the next command — all in the caller's transaction.
 */
@Injectable()
export class OrderSaga {
  private readonly logger = new Logger(OrderSaga.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly sagas: SagaRepository,
  ) {}

  /** After the automatic review, or a reviewer's decision. */
  async reviewed(manager: EntityManager, order: OrderEntity, saga: OrderSagaEntity, review: ReviewRecord, send: Send, incoming?: Incoming): Promise<void> {
    const reasons = review.reasons.map((r) => `${r.code}: ${r.message}`).join('; ') || null;
    const decision = review.decision;
    const outcome = decision ? (decision.decision === 'approve' ? 'approved' : 'rejected') : review.outcome;
    if (outcome === 'rejected') {
      const reason = decision ? `REJECTED_BY_REVIEWER: ${decision.reason}` : reasons;
      await this.moveTo(manager, order, saga, 'rejected', 'rejected', reason, send, incoming);
    } else if (outcome === 'on_hold') {
      await this.moveTo(manager, order, saga, 'on_hold', 'awaiting_review', reasons, send, incoming);
    } else {
      const reason = decision ? `APPROVED_BY_REVIEWER: ${decision.reason}` : null;
      await this.moveTo(manager, order, saga, 'approved', 'reserving', reason, send, incoming);
      const lines = await this.orders.lines(manager, order.id);
      await this.command(manager, saga, send, ReserveStockV1, {
        orderId: order.id,
        lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
      });
    }
  }

  async stockReserved(manager: EntityManager, event: StockReserved, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.begin(manager, event.orderId, 'reserving', incoming);
    if (!step) return;
    const { order, saga } = step;
    await this.orders.saveReservations(manager, event.reservations.map((r) => ({ ...r, orderId: order.id })));
    // One outbound note per reserving warehouse: remembered, so fulfilment events need not re-read reservations.
    saga.data = { ...saga.data, expectedNotes: new Set(event.reservations.map((r) => r.warehouse)).size };
    await this.moveTo(manager, order, saga, 'reserved', 'releasing', null, send, incoming);
    const byWarehouse = new Map<string, Array<{ sku: string; quantity: number }>>();
    for (const r of event.reservations) {
      const lines = byWarehouse.get(r.warehouse) ?? [];
      const same = lines.find((line) => line.sku === r.sku);
      if (same) same.quantity += r.quantity;
      else lines.push({ sku: r.sku, quantity: r.quantity });
      byWarehouse.set(r.warehouse, lines);
    }
    await this.command(manager, saga, send, CreateOutboundNotesV1, {
      orderId: order.id,
      externalId: order.externalId,
      recipientName: order.customer.name,
      shipTo: order.shippingAddress,
      notes: [...byWarehouse].map(([warehouse, lines]) => ({ warehouse, lines })),
    });
  }

  /** Stock short: with the default `reject` policy the order is cancelled, nothing was reserved. */
  async reservationRejected(manager: EntityManager, event: StockReservationRejected, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.begin(manager, event.orderId, 'reserving', incoming);
    if (!step) return;
    const detail = event.shortages.map((s) => `${s.sku} requested ${s.requested}, available ${s.available}`).join('; ');
    await this.moveTo(manager, step.order, step.saga, 'cancelled', 'cancelled', `${event.reason}: ${detail}`, send, incoming);
  }

  async notesCreated(manager: EntityManager, event: OutboundNotesCreated, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.begin(manager, event.orderId, ['releasing', 'fulfilling', 'awaiting_delivery'], incoming);
    if (!step) return;
    for (const note of event.notes) {
      await this.orders.upsertNote(manager, { noteId: note.noteId, orderId: event.orderId, warehouse: note.warehouse, status: 'created', lines: note.lines }, noteRank);
    }
    if (step.saga.state === 'releasing') {
      await this.moveTo(manager, step.order, step.saga, 'released', 'fulfilling', null, send, incoming);
    }
    await this.advanceFulfilment(manager, step.order, step.saga, send, incoming);
  }

  async noteProgressed(manager: EntityManager, event: OutboundNoteProgressed, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.begin(manager, event.orderId, ['releasing', 'fulfilling', 'awaiting_delivery'], incoming);
    if (!step) return;
    await this.orders.upsertNote(manager, { noteId: event.noteId, orderId: event.orderId, warehouse: event.warehouse, status: event.status }, noteRank);
    await this.advanceFulfilment(manager, step.order, step.saga, send, incoming);
  }

  async noteShipped(manager: EntityManager, event: OutboundNoteShipped, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.begin(manager, event.orderId, ['releasing', 'fulfilling', 'awaiting_delivery'], incoming);
    if (!step) return;
    await this.orders.upsertNote(
      manager,
      { noteId: event.noteId, orderId: event.orderId, warehouse: event.warehouse, status: 'shipped', lines: event.lines },
      noteRank,
    );
    await this.orders.saveShipment(manager, {
      shipmentId: event.shipmentId,
      orderId: event.orderId,
      noteId: event.noteId,
      warehouse: event.warehouse,
      carrier: event.carrier,
      trackingNumber: event.trackingNumber,
      shippedAt: new Date(event.shippedAt),
    });
    await this.advanceFulfilment(manager, step.order, step.saga, send, incoming);
  }

  async shipmentDelivered(manager: EntityManager, event: ShipmentDelivered, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.begin(manager, event.orderId, ['fulfilling', 'awaiting_delivery'], incoming);
    if (!step) return;
    await this.orders.markDelivered(manager, event.shipmentId, new Date(event.deliveredAt));
    await this.orders.advanceNote(manager, event.noteId, 'delivered', noteRank);
    await this.advanceFulfilment(manager, step.order, step.saga, send, incoming);
  }

  /** Moves the order as far as its notes allow: picking → packed → shipped → delivered. */
  private async advanceFulfilment(manager: EntityManager, order: OrderEntity, saga: OrderSagaEntity, send: Send, incoming: Incoming): Promise<void> {
    const expected = Number(saga.data.expectedNotes ?? 0);
    const notes = await this.orders.notes(manager, order.id);
    const target = fulfilmentStatus(
      notes.map((n) => n.status),
      expected,
    );
    if (statusRank(target) <= statusRank(order.status)) return;
    const sagaState: SagaState = target === 'delivered' ? 'completed' : target === 'shipped' ? 'awaiting_delivery' : 'fulfilling';
    await this.moveTo(manager, order, saga, target, sagaState, null, send, incoming);
  }

  /**
   * Locks the order and its saga and checks the saga expects this message.
   * @returns null for a duplicate or late message (logged, no effect).
   */
  async begin(
    manager: EntityManager,
    orderId: string,
    expected: SagaState | SagaState[],
    incoming: Incoming,
  ): Promise<{ order: OrderEntity; saga: OrderSagaEntity } | null> {
    const order = await this.orders.lock(manager, orderId);
    const saga = order ? await this.sagas.lock(manager, orderId) : null;
    if (!order || !saga) {
      this.logger.warn(`${incoming.type} ${incoming.id} for unknown order ${orderId}: ignored`);
      return null;
    }
    const states = Array.isArray(expected) ? expected : [expected];
    await this.sagas.log(manager, orderId, { kind: 'message_received', messageType: incoming.type, messageId: incoming.id, fromState: saga.state });
    if (!states.includes(saga.state)) {
      this.logger.warn(`${incoming.type} ${incoming.id} while saga ${orderId} is ${saga.state}: ignored`);
      await this.sagas.log(manager, orderId, { kind: 'message_received', messageType: incoming.type, messageId: incoming.id, reason: `ignored in state ${saga.state}` });
      return null;
    }
    return { order, saga };
  }

  /** Order status and saga state change together, with history, step log and notification. */
  async moveTo(
    manager: EntityManager,
    order: OrderEntity,
    saga: OrderSagaEntity,
    status: OrderStatus,
    state: SagaState,
    reason: string | null,
    send: Send,
    incoming?: Incoming,
  ): Promise<void> {
    const previous = order.status;
    await this.orders.setStatus(manager, order, status, reason);
    if (saga.state !== state) {
      const from = saga.state;
      await this.sagas.transition(manager, saga, state, deadlineFor(state));
      await this.sagas.log(manager, saga.orderId, { kind: 'state_changed', fromState: from, toState: state, messageType: incoming?.type, messageId: incoming?.id, reason });
    }
    // Only the shipping statuses carry shipments; no read for the others.
    const shipments = status === 'shipped' || status === 'delivered' ? await this.orders.shipments(manager, order.id) : [];
    await send(OrderStatusChangedV1, {
      orderId: order.id,
      externalId: order.externalId,
      status,
      previousStatus: previous === status ? null : previous,
      reason,
      customer: order.customer,
      shipments: shipments.map((s) => ({ shipmentId: s.shipmentId, carrier: s.carrier, trackingNumber: s.trackingNumber })),
      changedAt: new Date().toISOString(),
    });
  }

  private async command<P extends object>(manager: EntityManager, saga: OrderSagaEntity, send: Send, definition: MessageDefinition<P>, payload: P): Promise<void> {
    const sent = await send(definition, payload);
    await this.sagas.log(manager, saga.orderId, { kind: 'command_sent', messageType: definition.routingKey, messageId: sent.id, fromState: saga.state });
  }
}
