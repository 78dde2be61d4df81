import { Injectable, Logger } from '@nestjs/common';
import { ReturnStatusChangedV1, SkaldError, type MessageDefinition, type MessageEnvelope } from '@skald/contracts';
import { Outbox, type MessageContext } from '@skald/messaging';
import type { SagaStepKind, SagaTrigger } from '@skald/saga';
import type { Caller } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import { ReturnRequestEntity } from '../return-requests/return-request.entity.js';
import { ReturnableOrderEntity } from '../returnable-orders/returnable-order.entity.js';
import { RETURN_STATUS_OF, type ReturnSagaRow, type ReturnSagaState } from './return-saga.definition.js';
import { ReturnSagaStore } from './return-saga.store.js';

/** Sends a message within the current transaction (outbox), correlated to the return. */
export type Send = <P extends object>(definition: MessageDefinition<P>, payload: P) => Promise<MessageEnvelope<P>>;

/** A step of the return saga: the return, its order (replica) and its saga, all locked. */
export interface ReturnStep {
  request: ReturnRequestEntity;
  order: ReturnableOrderEntity;
  saga: ReturnSagaRow;
}

/**
 * The return saga's primitives, in the caller's transaction: lock the return and its saga (the
 * return first, everywhere, the scheduler too); check the saga's table accepts what arrived; move
 * the return's status and the saga's state together and announce it; send commands.
 */
@Injectable()
export class ReturnSteps {
  private readonly logger = new Logger('ReturnSaga');

  constructor(
    private readonly outbox: Outbox,
    readonly sagas: ReturnSagaStore,
  ) {}

  /** Messages of a step started by a request: correlated to the return, caused by nothing. */
  requestSender(manager: EntityManager, request: ReturnRequestEntity): Send {
    return (definition, payload) => this.outbox.publish(manager, definition, payload, { tenantId: request.tenantId, correlationId: request.id, causationId: null });
  }

  /** Messages of a step started by a message: caused by it, correlated to the return. */
  messageSender(context: MessageContext, request: ReturnRequestEntity): Send {
    return (definition, payload) => context.publish(definition, payload, { correlationId: request.id, tenantId: request.tenantId });
  }

  /** Locks a return the caller may act on (a platform: its own), with its saga. @throws SkaldError(RETURN_NOT_FOUND) */
  async lockFor(manager: EntityManager, caller: Caller, id: string): Promise<ReturnStep> {
    const step = await this.lock(manager, id);
    if (!step || (caller.kind === 'platform' && step.request.tenantId !== caller.tenantId)) throw new SkaldError('RETURN_NOT_FOUND', `no return ${id}`, { retryable: false });
    return step;
  }

  /**
   * Locks the return a message is about and checks the saga acts on it in its state.
   * @returns null for an unknown return, or a duplicate or late message (logged, no effect).
   */
  async begin(manager: EntityManager, returnId: string, trigger: SagaTrigger): Promise<ReturnStep | null> {
    const step = await this.lock(manager, returnId);
    if (!step) {
      this.logger.warn(`${trigger.type} ${trigger.id} for unknown return ${returnId}: ignored`);
      return null;
    }
    return (await this.sagas.receive(manager, step.saga, trigger)) ? step : null;
  }

  /** The return's status follows the saga's state (RETURN_STATUS_OF); a changed status is announced. */
  async moveTo(manager: EntityManager, step: ReturnStep, state: ReturnSagaState, reason: string | null, trigger?: SagaTrigger): Promise<void> {
    const { request } = step;
    const previous = request.status;
    const status = RETURN_STATUS_OF[state];
    await this.sagas.enter(manager, step.saga, state, reason, trigger);
    request.status = status;
    if (reason !== null || status !== previous) request.statusReason = reason;
    request.updatedAt = new Date();
    await manager.update(
      ReturnRequestEntity,
      { id: request.id },
      { status, statusReason: request.statusReason, decision: request.decision, refundAmount: request.refundAmount, replacementOrderId: request.replacementOrderId, updatedAt: request.updatedAt },
    );
    if (status !== previous) await this.announce(manager, step, previous);
  }

  /** Announces the return's status (customer e-mail, platform webhook), logged on the saga. */
  async announce(manager: EntityManager, { request, order }: ReturnStep, previous: ReturnRequestEntity['status'] | null): Promise<void> {
    const sent = await this.requestSender(manager, request)(ReturnStatusChangedV1, {
      returnId: request.id,
      rmaNumber: request.rmaNumber,
      orderId: request.orderId,
      externalId: order.externalId,
      status: request.status,
      previousStatus: previous,
      reason: request.statusReason,
      customer: order.customer,
      changedAt: request.updatedAt.toISOString(),
    });
    await this.sagas.log(manager, request.id, { kind: 'event_sent', messageType: ReturnStatusChangedV1.routingKey, messageId: sent.id, toState: request.status });
  }

  /** Sends a command (or compensation) of the saga and logs it. */
  async command<P extends object>(manager: EntityManager, saga: ReturnSagaRow, send: Send, definition: MessageDefinition<P>, payload: P, kind: SagaStepKind = 'command_sent'): Promise<void> {
    const sent = await send(definition, payload);
    await this.sagas.log(manager, saga, { kind, messageType: definition.routingKey, messageId: sent.id });
  }

  /** The scheduler's lock: the return `SKIP LOCKED` (null when a request or handler has it now). */
  async lockIfFree(manager: EntityManager, id: string): Promise<ReturnStep | null> {
    const [free] = (await manager.query(`SELECT id FROM return_request WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id])) as unknown[];
    return free ? this.lock(manager, id) : null;
  }

  private async lock(manager: EntityManager, id: string): Promise<ReturnStep | null> {
    const request = await manager.findOne(ReturnRequestEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!request) return null;
    const saga = await this.sagas.lock(manager, id);
    if (!saga) throw new Error(`return ${id} has no saga`);
    const order = await manager.findOneByOrFail(ReturnableOrderEntity, { orderId: request.orderId });
    return { request, order, saga };
  }
}
