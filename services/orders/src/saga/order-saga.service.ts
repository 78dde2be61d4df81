import { Injectable, Logger } from '@nestjs/common';
import {
  CreateOutboundNotesV1,
  type BackorderAllocated,
  type OutboundNoteProgressed,
  type OutboundNoteShipped,
  type OutboundNotesCreated,
  type ReservationValue,
  type ShipmentDelivered,
  type StockLineValue,
  type StockReservationRejected,
  type StockReserved,
} from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import type { OrderOutboundNoteEntity } from '../orders/fulfilment.entities.js';
import type { ReviewRecord } from '../orders/order.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { recipientOf } from '../orders/shipping-address.js';
import { fulfilmentStatus, NOTE_STATUSES, statusRank } from './fulfilment-status.js';
import { OrderCompensation } from './order-compensation.service.js';
import { decideAfterReservation, decideReview, FULFILMENT_STATES, type OrderSagaRow, type OrderSagaState } from './order-saga.definition.js';
import { OrderSagaStore } from './order-saga.store.js';
import { describeLines, quantitiesBySku } from './quantities.js';
import { SagaSteps, type Incoming, type SagaStep, type Send } from './saga-steps.js';

export type { Incoming, Send } from './saga-steps.js';

/** A batch of outbound notes to ask the warehouses for: one per warehouse. */
interface NotesPlan {
  batch: number;
  notes: Array<{ warehouse: string; lines: StockLineValue[] }>;
}

/**
 * The order saga (orchestrated, persisted): review → reserve (per the shortage policy: all or
 * nothing, backorder, partial) → outbound notes (one batch per warehouse; a partial order's
 * backordered rest as batch 2) → pick/pack/ship → delivery. Every step locks the order and its
 * saga, checks the saga expects the message (anything else is a duplicate or late: logged and
 * ignored), moves the order status, logs the step and sends the next command, all in the
 * caller's transaction. Cancellation and other compensation: OrderCompensation.
 */
@Injectable()
export class OrderSaga {
  private readonly logger = new Logger(OrderSaga.name);

  constructor(
    private readonly steps: SagaSteps,
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
    private readonly compensation: OrderCompensation,
  ) {}

  /** After the automatic review, or a reviewer's decision. */
  async reviewed(manager: EntityManager, step: SagaStep, review: ReviewRecord, send: Send, incoming?: Incoming): Promise<void> {
    const next = decideReview(review);
    // Reserving: the attempt is written with the move.
    if (next.to === 'reserving') this.steps.countReservation(step.saga);
    await this.steps.moveTo(manager, step, next.status, next.to, next.reason, send, incoming);
    if (next.to === 'reserving') await this.steps.requestReservation(manager, step, send);
  }

  /** Inventory reserved all of the order, or (backorder, partial) what it had. */
  async stockReserved(manager: EntityManager, event: StockReserved, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step || this.staleAttempt(step, event.attempt, incoming)) return;
    const { order, saga } = step;
    await this.orders.saveReservations(manager, event.reservations.map((r) => ({ ...r, orderId: order.id, batch: 1, released: false })));
    const unavailable = event.unavailable ?? [];
    const decision = decideAfterReservation({ reserved: event.reservations, backordered: event.backordered ?? [], unavailable }, order.shortagePolicy?.mode);
    if (decision.do === 'cancel') {
      await this.compensation.cancelNow(manager, step, send, decision.code, decision.reason, incoming);
      return;
    }
    if (decision.cancelUnavailable) {
      // A partial order whose rest is not backordered: that rest is cancelled now.
      await this.compensation.cancelQuantities(manager, step, send, quantitiesBySku(event.reservations), 'rest', `STOCK_SHORT: not available, cancelled: ${describeLines(unavailable)}`);
    }
    if (decision.do === 'wait_for_backorder' || decision.backorderOpen) {
      saga.data = { ...saga.data, backorderOpen: true, backorderDeadline: order.shortagePolicy?.backorderDeadline ?? null };
    }
    if (decision.do === 'wait_for_backorder') {
      await this.steps.moveTo(manager, step, 'backordered', 'backordered', decision.reason, send, incoming);
      return;
    }
    // The notes asked for are written with the move.
    const notes = this.planNotes(saga, 1, event.reservations);
    await this.steps.moveTo(manager, step, 'reserved', 'releasing', decision.reason, send, incoming);
    await this.requestNotes(manager, step, send, notes);
  }

  /** Stock short with the `reject` policy (or an unknown SKU): the order is cancelled, nothing was reserved. */
  async reservationRejected(manager: EntityManager, event: StockReservationRejected, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    const detail = event.shortages.map((s) => `${s.sku} requested ${s.requested}, available ${s.available}`).join('; ');
    await this.compensation.cancelNow(manager, step, send, event.reason, detail, incoming);
  }

  /** Received stock was reserved for the order's backorder; once complete, the order moves on. */
  async backorderAllocated(manager: EntityManager, event: BackorderAllocated, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step || this.staleAttempt(step, event.attempt, incoming)) return;
    const { order, saga } = step;
    if (!saga.data.backorderOpen) {
      // The rest was cancelled meanwhile: these reservations are released with it.
      this.logger.warn(`order ${order.id}: backorder allocation after its backorder ended; releasing it`);
      await this.compensation.releaseStray(manager, step, send, event.reservations.map((r) => r.reservationId), 'BACKORDER_ENDED');
      return;
    }
    // Backordered as a whole: everything is batch 1. A partial order's rest: batch 2.
    const batch = saga.state === 'backordered' ? 1 : 2;
    await this.orders.saveReservations(manager, event.reservations.map((r) => ({ ...r, orderId: order.id, batch, released: false })));
    if (event.backordered.length > 0) {
      await this.steps.log(manager, saga, 'message_received', incoming, { reason: `still waiting for ${describeLines(event.backordered)}` });
      return;
    }
    saga.data = { ...saga.data, backorderOpen: false, backorderDeadline: null };
    const reservations = (await this.orders.reservations(manager, order.id)).filter((r) => r.batch === batch && !r.released);
    // The notes asked for are written with the move (or the new deadline).
    const notes = this.planNotes(saga, batch, reservations);
    if (saga.state === 'backordered') {
      await this.steps.moveTo(manager, step, 'reserved', 'releasing', 'backorder complete', send, incoming);
    } else {
      // The saga's deadline no longer includes the backorder's.
      await this.sagas.reschedule(manager, saga);
    }
    await this.requestNotes(manager, step, send, notes);
  }

  async notesCreated(manager: EntityManager, event: OutboundNotesCreated, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    let notes: OrderOutboundNoteEntity[] | undefined;
    for (const note of event.notes) {
      notes = await this.orders.upsertNote(
        manager,
        { noteId: note.noteId, orderId: event.orderId, warehouse: note.warehouse, status: 'created', lines: note.lines, batch: event.batch ?? 1 },
        NOTE_STATUSES,
      );
    }
    if (step.saga.state === 'releasing') {
      await this.steps.moveTo(manager, step, 'released', 'fulfilling', null, send, incoming);
    }
    await this.advanceFulfilment(manager, step, send, incoming, null, notes);
  }

  async noteProgressed(manager: EntityManager, event: OutboundNoteProgressed, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    const notes = await this.orders.upsertNote(manager, { noteId: event.noteId, orderId: event.orderId, warehouse: event.warehouse, status: event.status }, NOTE_STATUSES);
    await this.advanceFulfilment(manager, step, send, incoming, null, notes);
  }

  /**
   * A note left the warehouse. Recorded in every state, even while cancelling (the shipment won
   * the race against the cancellation: the compensation learns it from the warehouse's answer).
   */
  async noteShipped(manager: EntityManager, event: OutboundNoteShipped, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    const notes = await this.orders.upsertNote(
      manager,
      { noteId: event.noteId, orderId: event.orderId, warehouse: event.warehouse, status: 'shipped', lines: event.lines },
      NOTE_STATUSES,
    );
    const shipments = await this.orders.saveShipment(manager, {
      shipmentId: event.shipmentId,
      orderId: event.orderId,
      noteId: event.noteId,
      warehouse: event.warehouse,
      carrier: event.carrier,
      trackingNumber: event.trackingNumber,
      shippedAt: new Date(event.shippedAt),
    });
    if (FULFILMENT_STATES.includes(step.saga.state)) await this.advanceFulfilment(manager, { ...step, shipments }, send, incoming, null, notes);
  }

  /**
   * A shipment arrived. Recorded while cancelling too (its note won the race against the
   * cancellation): the compensation, when it ends with the shipped notes, finds them delivered.
   */
  async shipmentDelivered(manager: EntityManager, event: ShipmentDelivered, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    await this.orders.markDelivered(manager, event.shipmentId, new Date(event.deliveredAt));
    const notes = await this.orders.advanceNote(manager, event.orderId, event.noteId, 'delivered', NOTE_STATUSES);
    if (FULFILMENT_STATES.includes(step.saga.state)) await this.advanceFulfilment(manager, step, send, incoming, null, notes);
  }

  /**
   * Moves the order as far as its (not cancelled) notes allow: picking → packed → shipped →
   * delivered; while a partial order's rest is still backordered, shipped is `partially_shipped`.
   * `notes`: the order's notes, when the caller has them from writing one (else they are read).
   */
  async advanceFulfilment(
    manager: EntityManager,
    step: SagaStep,
    send: Send,
    incoming?: Incoming,
    reason: string | null = null,
    notes?: readonly OrderOutboundNoteEntity[],
  ): Promise<void> {
    const { order, saga } = step;
    const open = (notes ?? (await this.orders.notes(manager, order.id))).filter((n) => n.status !== 'cancelled');
    let target = fulfilmentStatus(
      open.map((n) => n.status),
      Number(saga.data.expectedNotes ?? 0),
    );
    if (saga.data.backorderOpen && (target === 'shipped' || target === 'delivered')) target = 'partially_shipped';
    if (statusRank(target) <= statusRank(order.status)) {
      if (reason) await this.steps.log(manager, saga, 'state_changed', incoming, { reason });
      return;
    }
    const state: OrderSagaState = target === 'delivered' ? 'completed' : target === 'shipped' ? 'awaiting_delivery' : 'fulfilling';
    // A note's progress may overtake the event announcing the notes (the operator is quick, the
    // orders queue has several messages in flight): the order still passes through released, the
    // status platforms wait for, before the one its notes add up to.
    if (saga.state === 'releasing' && statusRank(target) > statusRank('released')) {
      await this.steps.moveTo(manager, step, 'released', 'fulfilling', null, send, incoming);
    }
    await this.steps.moveTo(manager, step, target, state, reason, send, incoming);
  }

  /** Asks the warehouses for one batch of outbound notes: one note per warehouse holding reservations. */
  async sendNotes(manager: EntityManager, step: SagaStep, send: Send, batch: number, reservations: ReadonlyArray<Pick<ReservationValue, 'warehouse' | 'sku' | 'quantity'>>): Promise<void> {
    const notes = this.planNotes(step.saga, batch, reservations);
    await this.sagas.save(manager, step.saga);
    await this.requestNotes(manager, step, send, notes);
  }

  /**
   * `sendNotes` in two halves, for a caller that writes the saga in between: the batch's notes,
   * counted in the saga's data (written by the caller's next write of the saga) …
   */
  private planNotes(saga: OrderSagaRow, batch: number, reservations: ReadonlyArray<Pick<ReservationValue, 'warehouse' | 'sku' | 'quantity'>>): NotesPlan {
    const byWarehouse = new Map<string, StockLineValue[]>();
    for (const r of reservations) {
      const lines = byWarehouse.get(r.warehouse) ?? [];
      const same = lines.find((line) => line.sku === r.sku);
      if (same) same.quantity += r.quantity;
      else lines.push({ sku: r.sku, quantity: r.quantity });
      byWarehouse.set(r.warehouse, lines);
    }
    const sent = saga.data.notesSent ?? [];
    saga.data = {
      ...saga.data,
      notesRequested: true,
      notesSent: sent.includes(batch) ? sent : [...sent, batch],
      expectedNotes: Number(sent.includes(batch) ? 0 : byWarehouse.size) + Number(saga.data.expectedNotes ?? 0),
    };
    return { batch, notes: [...byWarehouse].map(([warehouse, lines]) => ({ warehouse, lines })) };
  }

  /** … then the command asking for them, sent and logged. */
  private async requestNotes(manager: EntityManager, { order, saga }: SagaStep, send: Send, { batch, notes }: NotesPlan): Promise<void> {
    await this.steps.command(manager, saga, send, CreateOutboundNotesV1, {
      orderId: order.id,
      externalId: order.externalId,
      ...recipientOf(order),
      batch,
      notes,
    });
  }

  /** A reply to an earlier reservation attempt (the order has reserved again since): no effect. */
  private staleAttempt({ saga }: SagaStep, attempt: number | undefined, incoming: Incoming): boolean {
    const current = saga.data.reserveAttempt ?? 1;
    if ((attempt ?? 1) === current) return false;
    this.logger.warn(`${incoming.type} ${incoming.id} answers reservation attempt ${attempt ?? 1} of order ${saga.id}, which is at attempt ${current}: ignored`);
    return true;
  }
}
