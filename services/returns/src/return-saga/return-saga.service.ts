import { Injectable } from '@nestjs/common';
import {
  BookReturnedStockV1,
  CancelExpectedReturnV1,
  ExpectReturnV1,
  PlaceReplacementOrderV1,
  RecordReturnInspectionV1,
  RecordReturnReceiptV1,
  ReturnRefundRequestedV1,
  SkaldError,
  fromUnits,
  toUnits,
  type ExpectedReturnCancelled,
  type OrderStatusChanged,
  type ReplacementOrderPlaced,
  type ReturnedStockBooked,
  type ReturnedStockRefused,
  type ReturnInspected,
  type ReturnReceiptRefused,
  type ReturnReceived,
  type StockLineValue,
} from '@skald/contracts';
import type { SagaTrigger } from '@skald/saga';
import type { Caller } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import { ReturnPolicyRepository } from '../return-policy/return-policy.repository.js';
import { refundFor, type GradedLine } from '../return-policy/return-rules.js';
import { ReturnLineEntity, ReturnRequestEntity } from '../return-requests/return-request.entity.js';
import { ReturnableOrderLineEntity } from '../returnable-orders/returnable-order.entity.js';
import { RETURN_REQUESTS } from './return-saga.definition.js';
import { ReturnSteps, type ReturnStep, type Send } from './return-steps.js';

const request = (type: string): SagaTrigger => ({ type, id: null });

/**
 * The order statuses a return waits for: its replacement order delivered or cancelled. Every other
 * status of every order is of no concern to returns (the consumer acks those without a transaction).
 */
export function concernsReturns(change: Pick<OrderStatusChanged, 'status'>): boolean {
  return change.status === 'delivered' || change.status === 'cancelled';
}

/** Quantities per SKU, summed. */
function bySku(lines: ReadonlyArray<{ sku: string; quantity: number }>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of lines) sums.set(line.sku, (sums.get(line.sku) ?? 0) + line.quantity);
  return sums;
}

const asLines = (sums: ReadonlyMap<string, number>): StockLineValue[] => [...sums].map(([sku, quantity]) => ({ sku, quantity }));

/**
 * The return saga's steps (its table: return-saga.definition.ts). Requests from people (review,
 * receive, inspect, cancel) and answers from the warehouse, inventory and orders move it; each
 * step locks the return, checks the table accepts what arrived, moves status and state together
 * and sends the next command, in the caller's transaction.
 */
@Injectable()
export class ReturnSaga {
  constructor(
    private readonly steps: ReturnSteps,
    private readonly policies: ReturnPolicyRepository,
  ) {}

  /** Approved (by the policy or a reviewer): the warehouse that shipped the goods is told to expect them. */
  async approve(manager: EntityManager, step: ReturnStep, reason: string, send: Send, trigger?: SagaTrigger): Promise<void> {
    const { request, saga } = step;
    const lines = await manager.find(ReturnLineEntity, { where: { returnId: request.id }, order: { lineNo: 'ASC' } });
    const [shipped] = (await manager.query(
      `SELECT s.warehouse FROM returnable_shipment s, jsonb_to_recordset(s.lines) AS l(sku text, quantity int)
        WHERE s.order_id = $1 AND l.sku = ANY($2) AND s.warehouse IS NOT NULL ORDER BY s.shipped_at LIMIT 1`,
      [request.orderId, lines.map((l) => l.sku)],
    )) as Array<{ warehouse: string }>;
    if (!shipped) throw new Error(`return ${request.id}: no shipment of its SKUs to send the goods back to`);
    saga.data = { ...saga.data, warehouse: shipped.warehouse };
    await this.steps.moveTo(manager, step, 'approved', reason, trigger);
    await this.steps.command(manager, saga, send, ExpectReturnV1, {
      returnId: request.id,
      rmaNumber: request.rmaNumber,
      orderId: request.orderId,
      warehouse: shipped.warehouse,
      lines: asLines(bySku(lines)),
    });
  }

  /** A reviewer's decision on a requested return. @throws SkaldError(RETURN_NOT_AWAITING_REVIEW) */
  async review(manager: EntityManager, caller: Caller, id: string, decision: 'approve' | 'reject', reason: string): Promise<ReturnStep> {
    const step = await this.steps.lockFor(manager, caller, id);
    if (!(await this.steps.sagas.receive(manager, step.saga, request(RETURN_REQUESTS.review)))) {
      throw new SkaldError('RETURN_NOT_AWAITING_REVIEW', `return ${id} is ${step.request.status}, not waiting for a review`, { retryable: false, details: { status: step.request.status } });
    }
    step.request.decision = { decision, reason, decidedBy: caller.principalId, decidedAt: new Date().toISOString() };
    const trigger = request(RETURN_REQUESTS.review);
    if (decision === 'approve') await this.approve(manager, step, `APPROVED_BY_REVIEWER: ${reason}`, this.steps.requestSender(manager, step.request), trigger);
    else await this.steps.moveTo(manager, step, 'rejected', `REJECTED_BY_REVIEWER: ${reason}`, trigger);
    return step;
  }

  /**
   * Withdraws a return before its goods arrive. Requested: cancelled at once. Approved: the
   * warehouse is told first (compensation), cancelled when it answers.
   * @throws SkaldError(RETURN_NOT_CANCELLABLE) the goods are being received or have arrived, or the return is closed
   */
  async cancel(manager: EntityManager, caller: Caller, id: string, why: string | undefined): Promise<ReturnStep> {
    const step = await this.steps.lockFor(manager, caller, id);
    const { saga } = step;
    if (saga.state === 'cancelling' || saga.state === 'cancelled') return step;
    const reason = `CANCELLED by ${caller.principalId}${why ? `: ${why}` : ''}`;
    if (saga.data.receipt || !(await this.steps.sagas.receive(manager, saga, request(RETURN_REQUESTS.cancel)))) {
      throw new SkaldError('RETURN_NOT_CANCELLABLE', `return ${id} is ${step.request.status}: only a return whose goods have not arrived can be cancelled`, {
        retryable: false,
        details: { status: step.request.status },
      });
    }
    await this.startCancelling(manager, step, reason, caller.principalId, this.steps.requestSender(manager, step.request), request(RETURN_REQUESTS.cancel));
    return step;
  }

  /** Cancels now (nothing expected yet) or starts the warehouse's compensation (approved). */
  async startCancelling(manager: EntityManager, step: ReturnStep, reason: string, requestedBy: string, send: Send, trigger?: SagaTrigger): Promise<void> {
    const { saga, request: ret } = step;
    if (saga.state === 'requested') {
      await this.steps.moveTo(manager, step, 'cancelled', reason, trigger);
      return;
    }
    saga.data = { ...saga.data, cancellation: { reason, requestedBy, expected: 'pending' } };
    await this.steps.moveTo(manager, step, 'cancelling', reason, trigger);
    await this.steps.command(manager, saga, send, CancelExpectedReturnV1, { returnId: ret.id, reason }, 'compensation');
  }

  /** The scheduler's re-send of the compensation the saga waits on. */
  async resendCancellation(manager: EntityManager, step: ReturnStep, send: Send): Promise<void> {
    await this.steps.command(manager, step.saga, send, CancelExpectedReturnV1, { returnId: step.request.id, reason: step.saga.data.cancellation?.reason ?? 'cancelled' }, 'compensation');
  }

  async expectedCancelled(manager: EntityManager, event: ExpectedReturnCancelled, trigger: SagaTrigger): Promise<void> {
    const step = await this.steps.begin(manager, event.returnId, trigger);
    if (!step || step.saga.state !== 'cancelling') return;
    const cancellation = step.saga.data.cancellation;
    step.saga.data = { ...step.saga.data, cancellation: cancellation && { ...cancellation, expected: 'done' } };
    await this.steps.moveTo(manager, step, 'cancelled', cancellation?.reason ?? `CANCELLED: ${event.reason}`, trigger);
  }

  /**
   * The warehouse operator records the goods that arrived (default: everything the return lists).
   * @throws SkaldError(RETURN_NOT_RECEIVABLE) not approved, or a receipt is already on its way with other lines
   * @throws SkaldError(RETURN_QUANTITY_EXCEEDED) more of a SKU than the return lists, or a SKU it does not list
   */
  async receive(manager: EntityManager, caller: Caller, id: string, lines: StockLineValue[] | undefined): Promise<ReturnStep> {
    const step = await this.steps.lockFor(manager, caller, id);
    const { saga, request: ret } = step;
    // The table says where receive is acted on (approved); the log entry goes with the rest if refused below.
    if (!(await this.steps.sagas.receive(manager, saga, request(RETURN_REQUESTS.receive)))) {
      throw new SkaldError('RETURN_NOT_RECEIVABLE', `return ${id} is ${ret.status}: only an approved return's goods are received`, { retryable: false, details: { status: ret.status } });
    }
    const listed = bySku(await manager.findBy(ReturnLineEntity, { returnId: id }));
    const received = lines ? bySku(lines) : listed;
    const over = [...received].filter(([sku, quantity]) => quantity > (listed.get(sku) ?? 0));
    if (over.length > 0) {
      throw new SkaldError('RETURN_QUANTITY_EXCEEDED', `more than the return lists: ${over.map(([sku, q]) => `${sku} × ${q} (listed ${listed.get(sku) ?? 0})`).join(', ')}`, {
        retryable: false,
        details: { lines: over.map(([sku, quantity]) => ({ sku, received: quantity, listed: listed.get(sku) ?? 0 })) },
      });
    }
    const receipt = asLines(received);
    if (saga.data.receipt && JSON.stringify(saga.data.receipt) !== JSON.stringify(receipt)) {
      throw new SkaldError('RETURN_NOT_RECEIVABLE', `return ${id}: a receipt of other quantities is being recorded`, { retryable: false, details: { receipt: saga.data.receipt } });
    }
    saga.data = { ...saga.data, receipt, refusal: null };
    await this.steps.sagas.save(manager, saga);
    await this.steps.command(manager, saga, this.steps.requestSender(manager, ret), RecordReturnReceiptV1, { returnId: id, lines: receipt });
    return step;
  }

  /** The scheduler's re-send of a receipt the warehouse has not answered. */
  async resendReceipt(manager: EntityManager, { request: ret, saga }: ReturnStep, send: Send): Promise<void> {
    if (saga.data.receipt) await this.steps.command(manager, saga, send, RecordReturnReceiptV1, { returnId: ret.id, lines: saga.data.receipt });
  }

  async received(manager: EntityManager, event: ReturnReceived, trigger: SagaTrigger): Promise<void> {
    const step = await this.steps.begin(manager, event.returnId, trigger);
    if (!step || step.saga.state !== 'approved') return;
    step.saga.data = { ...step.saga.data, received: event.lines };
    await this.steps.moveTo(manager, step, 'received', `RECEIVED at ${event.warehouse}: ${event.lines.map((l) => `${l.sku} × ${l.quantity}`).join(', ')}`, trigger);
  }

  /**
   * The warehouse operator grades what arrived: per SKU the graded units add up to what was received.
   * @throws SkaldError(RETURN_NOT_INSPECTABLE) not received, or an inspection of other grades is on its way
   * @throws SkaldError(RETURN_INSPECTION_MISMATCH) graded units do not add up to the received ones
   */
  async inspect(manager: EntityManager, caller: Caller, id: string, lines: Array<StockLineValue & { grade: 'A' | 'B' | 'C'; note?: string }>): Promise<ReturnStep> {
    const step = await this.steps.lockFor(manager, caller, id);
    const { saga, request: ret } = step;
    if (!(await this.steps.sagas.receive(manager, saga, request(RETURN_REQUESTS.inspect)))) {
      throw new SkaldError('RETURN_NOT_INSPECTABLE', `return ${id} is ${ret.status}: only received goods are inspected`, { retryable: false, details: { status: ret.status } });
    }
    const received = bySku(saga.data.received ?? []);
    const graded = bySku(lines);
    const skus = new Set([...received.keys(), ...graded.keys()]);
    const mismatch = [...skus].filter((sku) => (received.get(sku) ?? 0) !== (graded.get(sku) ?? 0));
    if (mismatch.length > 0) {
      throw new SkaldError('RETURN_INSPECTION_MISMATCH', `graded units must add up to the received ones: ${mismatch.map((sku) => `${sku} graded ${graded.get(sku) ?? 0}, received ${received.get(sku) ?? 0}`).join('; ')}`, {
        retryable: false,
        details: { lines: mismatch.map((sku) => ({ sku, graded: graded.get(sku) ?? 0, received: received.get(sku) ?? 0 })) },
      });
    }
    const inspection = lines.map(({ sku, quantity, grade, note }) => ({ sku, quantity, grade, note: note ?? null }));
    if (saga.data.inspection && JSON.stringify(saga.data.inspection) !== JSON.stringify(inspection)) {
      throw new SkaldError('RETURN_NOT_INSPECTABLE', `return ${id}: an inspection with other grades is being recorded`, { retryable: false, details: { inspection: saga.data.inspection } });
    }
    saga.data = { ...saga.data, inspection, refusal: null };
    await this.steps.sagas.save(manager, saga);
    await this.steps.command(manager, saga, this.steps.requestSender(manager, ret), RecordReturnInspectionV1, { returnId: id, lines: inspection });
    return step;
  }

  /** Graded at the warehouse: inventory books the grades (A back to stock, B quarantined, C written off). */
  async inspected(manager: EntityManager, event: ReturnInspected, send: (step: ReturnStep) => Send, trigger: SagaTrigger): Promise<void> {
    const step = await this.steps.begin(manager, event.returnId, trigger);
    if (!step || step.saga.state !== 'received') return;
    step.saga.data = { ...step.saga.data, inspection: event.lines.map(({ sku, quantity, grade, note }) => ({ sku, quantity, grade, note: note ?? null })) };
    const summary = event.lines.map((l) => `${l.sku} × ${l.quantity} ${l.grade}`).join(', ');
    await this.steps.moveTo(manager, step, 'inspected', `INSPECTED: ${summary}`, trigger);
    await this.book(manager, step, send(step));
  }

  /** Sends (or re-sends) the booking of the graded goods. */
  async book(manager: EntityManager, { request: ret, saga }: ReturnStep, send: Send): Promise<void> {
    const lines = (saga.data.inspection ?? []).map(({ sku, quantity, grade }) => ({ sku, quantity, grade }));
    await this.steps.command(manager, saga, send, BookReturnedStockV1, { returnId: ret.id, rmaNumber: ret.rmaNumber, orderId: ret.orderId, warehouse: saga.data.warehouse ?? '', lines });
  }

  /** Booked: the refund instruction, or the replacement order. */
  async booked(manager: EntityManager, event: ReturnedStockBooked, send: (step: ReturnStep) => Send, trigger: SagaTrigger): Promise<void> {
    const step = await this.steps.begin(manager, event.returnId, trigger);
    if (!step || step.saga.state !== 'inspected') return;
    if (step.request.resolution === 'refund') {
      await this.refund(manager, step, send(step), 'REFUNDED', trigger);
      return;
    }
    await this.steps.moveTo(manager, step, 'exchanging', 'EXCHANGE: replacement order requested', trigger);
    await this.placeReplacement(manager, step, send(step));
  }

  async placeReplacement(manager: EntityManager, { request: ret, saga }: ReturnStep, send: Send): Promise<void> {
    const lines = asLines(bySku(saga.data.inspection ?? saga.data.received ?? []));
    await this.steps.command(manager, saga, send, PlaceReplacementOrderV1, { returnId: ret.id, rmaNumber: ret.rmaNumber, orderId: ret.orderId, lines });
  }

  async replacementPlaced(manager: EntityManager, event: ReplacementOrderPlaced, trigger: SagaTrigger): Promise<void> {
    const step = await this.steps.begin(manager, event.returnId, trigger);
    if (!step || step.saga.state !== 'exchanging') return;
    await this.exchanged(manager, step, event.replacementOrderId, event.externalId, trigger);
  }

  private async exchanged(manager: EntityManager, step: ReturnStep, replacementOrderId: string, externalId: string, trigger: SagaTrigger): Promise<void> {
    step.saga.data = { ...step.saga.data, replacementOrderId };
    step.request.replacementOrderId = replacementOrderId;
    await this.steps.moveTo(manager, step, 'exchanged', `EXCHANGED: replacement order ${replacementOrderId} (${externalId})`, trigger);
  }

  /**
   * The replacement order delivered: the return closes; cancelled (e.g. stock short): the goods are
   * refunded instead. A replacement's statuses name its return; one cancelled at once may arrive
   * before its placement was handled (the handlers run concurrently): it counts as placed then.
   */
  async replacementStatus(manager: EntityManager, event: OrderStatusChanged, send: (step: ReturnStep) => Send, trigger: SagaTrigger): Promise<void> {
    if (!concernsReturns(event)) return;
    const returnId = event.replacementFor?.returnId ?? (await this.returnReplacedBy(manager, event.orderId));
    if (!returnId) return;
    const step = await this.steps.begin(manager, returnId, trigger);
    if (!step) return;
    if (step.saga.state === 'exchanging') await this.exchanged(manager, step, event.orderId, event.externalId, trigger);
    if (step.saga.state !== 'exchanged' || step.request.replacementOrderId !== event.orderId) return;
    if (event.status === 'delivered') await this.steps.moveTo(manager, step, 'closed', 'REPLACEMENT_DELIVERED', trigger);
    else await this.refund(manager, step, send(step), `REPLACEMENT_CANCELLED (${event.reason ?? 'no reason'}): refunded instead`, trigger);
  }

  /** The return a replacement order belongs to (statuses from before they named it). */
  private async returnReplacedBy(manager: EntityManager, orderId: string): Promise<string | undefined> {
    const [ret] = (await manager.query(`SELECT id FROM return_request WHERE replacement_order_id = $1`, [orderId])) as Array<{ id: string }>;
    return ret?.id;
  }

  /** The refund instruction of the graded goods (never above what is left of the payment), then closed. */
  async refund(manager: EntityManager, step: ReturnStep, send: Send, why: string, trigger?: SagaTrigger): Promise<void> {
    const { request: ret, order, saga } = step;
    const policy = await this.policies.of(manager, ret.tenantId);
    const prices = new Map((await manager.findBy(ReturnableOrderLineEntity, { orderId: ret.orderId })).map((l) => [l.sku, l.unitPrice]));
    const [{ refunded }] = (await manager.query(
      `SELECT (coalesce((SELECT sum(amount) FROM returnable_refund WHERE order_id = $1), 0)
             + coalesce((SELECT sum(refund_amount) FROM return_request WHERE order_id = $1 AND id <> $2 AND refund_amount IS NOT NULL), 0))::text AS refunded`,
      [ret.orderId, ret.id],
    )) as Array<{ refunded: string }>;
    const paid = order.paymentStatus === 'paid' ? toUnits(order.totalAmount) : 0n;
    const graded: GradedLine[] = (saga.data.inspection ?? []).map(({ sku, quantity, grade }) => ({ sku, quantity, grade }));
    const refund = refundFor(graded, (sku) => prices.get(sku) ?? '0', policy.scrapRefundPercent, fromUnits(paid - toUnits(refunded)));
    ret.refundAmount = refund.amount;
    await this.steps.moveTo(manager, step, 'refunded', `${why}: ${refund.amount} ${ret.currency}${refund.capped ? ' (capped at what is left of the payment)' : ''}`, trigger);
    await this.steps.command(manager, saga, send, ReturnRefundRequestedV1, {
      refundId: `return:${ret.id}`,
      returnId: ret.id,
      rmaNumber: ret.rmaNumber,
      orderId: ret.orderId,
      externalId: order.externalId,
      amount: refund.amount,
      currency: ret.currency,
      lines: refund.lines,
    });
    await this.steps.moveTo(manager, step, 'closed', `CLOSED: refund of ${refund.amount} ${ret.currency} instructed`, trigger);
  }

  /** The warehouse refused a receipt or inspection: shown on the return; the operator can record it again. */
  async receiptRefused(manager: EntityManager, event: ReturnReceiptRefused, trigger: SagaTrigger): Promise<void> {
    const step = await this.steps.begin(manager, event.returnId, trigger);
    if (!step) return;
    const { saga } = step;
    const refusal = { code: event.code, reason: event.reason, at: new Date().toISOString() };
    saga.data = {
      ...saga.data,
      refusal,
      ...(event.command === 'warehouse.record-return-receipt' ? { receipt: undefined } : {}),
      ...(event.command === 'warehouse.record-return-inspection' ? { inspection: undefined } : {}),
    };
    await this.steps.sagas.save(manager, saga);
    await this.steps.sagas.log(manager, saga, { kind: 'message_received', messageType: trigger.type, messageId: trigger.id, reason: `refused by the warehouse: ${event.code} ${event.reason}` });
  }

  /** Inventory refused to book the goods: shown on the return (stuck) until an operator repairs the cause; the booking is re-sent on its deadline. */
  async bookingRefused(manager: EntityManager, event: ReturnedStockRefused, trigger: SagaTrigger): Promise<void> {
    const step = await this.steps.begin(manager, event.returnId, trigger);
    if (!step) return;
    step.saga.data = { ...step.saga.data, stuck: true, refusal: { code: event.code, reason: event.reason, at: new Date().toISOString() } };
    await this.steps.sagas.save(manager, step.saga);
  }

  /** Re-reads the return after a step (the view). */
  async reload(manager: EntityManager, id: string): Promise<ReturnRequestEntity> {
    return manager.findOneByOrFail(ReturnRequestEntity, { id });
  }
}
