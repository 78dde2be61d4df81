import { Injectable } from '@nestjs/common';
import { SkaldError, normalizeAmount, type ReturnStatus, type StockLineValue } from '@skald/contracts';
import { decodeTimeIdCursor, encodeTimeIdCursor, tenantOf, type Caller } from '@skald/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { ReturnPolicyRepository } from '../return-policy/return-policy.repository.js';
import { checkReturn } from '../return-policy/return-rules.js';
import { RETURN_SAGA, type ReturnSagaRow } from '../return-saga/return-saga.definition.js';
import { ReturnSaga } from '../return-saga/return-saga.service.js';
import { ReturnSteps, type ReturnStep } from '../return-saga/return-steps.js';
import { ReturnableOrderEntity, ReturnableOrderLineEntity } from '../returnable-orders/returnable-order.entity.js';
import type { ListReturnsQuery, RequestReturnBody, ReturnAcceptedView, ReturnPageView, ReturnView } from './return-request.dto.js';
import { ReturnLineEntity, ReturnRequestEntity } from './return-request.entity.js';

/** Returns that count against what is left to return: all but the refused and the cancelled. */
const SETTLED_AGAINST: readonly ReturnStatus[] = ['rejected', 'cancelled'];

/**
 * Returns (RMAs): asked for by a platform for its own delivered order, checked against the
 * platform's policy and returns' replica of the order, reviewed by staff when the policy says so,
 * cancelled before the goods arrive. Each status change moves the return saga (ADR 14) and is
 * announced (ReturnStatusChanged: customer e-mail, platform webhook) in the same transaction.
 */
@Injectable()
export class ReturnRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: ReturnPolicyRepository,
    private readonly steps: ReturnSteps,
    private readonly saga: ReturnSaga,
  ) {}

  /**
   * @throws SkaldError(RETURN_ORDER_NOT_FOUND) no such order of the platform (or not known to returns yet)
   * @throws SkaldError(RETURN_WINDOW_CLOSED | RETURN_QUANTITY_EXCEEDED | SKU_NOT_RETURNABLE) the policy refuses it; nothing is stored
   */
  async request(manager: EntityManager, caller: Caller, body: RequestReturnBody): Promise<ReturnAcceptedView> {
    const tenantId = tenantOf(caller);
    // Locked: two returns of one order at the same moment are checked one after the other.
    const order = await manager.findOne(ReturnableOrderEntity, { where: { orderId: body.orderId, tenantId }, lock: { mode: 'pessimistic_write' } });
    if (!order) throw new SkaldError('RETURN_ORDER_NOT_FOUND', `no order ${body.orderId} to return from`, { retryable: false });
    const lines = await manager.findBy(ReturnableOrderLineEntity, { orderId: order.orderId });
    const shipments: Array<{ sku: string; shipped: string; last_shipped: Date | null; last_delivered: Date | null }> = await manager.query(
      `SELECT l.sku, sum(l.quantity)::text AS shipped, max(s.shipped_at) AS last_shipped, max(s.delivered_at) AS last_delivered
         FROM returnable_shipment s, jsonb_to_recordset(s.lines) AS l(sku text, quantity int)
        WHERE s.order_id = $1 AND s.shipped_at IS NOT NULL GROUP BY l.sku`,
      [order.orderId],
    );
    const shipped = new Map(shipments.map((row) => [row.sku, Number(row.shipped)]));
    const returned: Array<{ sku: string; quantity: string }> = await manager.query(
      `SELECT l.sku, sum(l.quantity)::text AS quantity FROM return_line l JOIN return_request r ON r.id = l.return_id
        WHERE r.order_id = $1 AND r.status <> ALL($2) GROUP BY l.sku`,
      [order.orderId, SETTLED_AGAINST],
    );
    const notReturnable: Array<{ sku: string }> = await manager.query(`SELECT sku FROM returnable_sku WHERE sku = ANY($1) AND NOT returnable`, [body.lines.map((l) => l.sku)]);
    const policy = await this.policies.of(manager, tenantId);
    const now = new Date();
    // The window runs from the last delivery (or, while none is confirmed, the last shipment).
    const latest = (dates: Array<Date | null>) => dates.filter((d): d is Date => d !== null).sort((x, y) => y.getTime() - x.getTime())[0] ?? null;
    const windowStart = latest(shipments.map((row) => row.last_delivered)) ?? latest(shipments.map((row) => row.last_shipped));
    const check = checkReturn(
      body.lines,
      {
        windowStart,
        lines: new Map(lines.map((line) => [line.sku, { unitPrice: line.unitPrice, shipped: shipped.get(line.sku) ?? 0 }])),
        alreadyReturned: new Map(returned.map((r) => [r.sku, Number(r.quantity)])),
        notReturnable: new Set(notReturnable.map((row) => row.sku)),
      },
      policy,
      now,
    );
    if (!check.ok) throw new SkaldError(check.code, check.message, { retryable: false, details: check.details });

    const id = randomUUID();
    const [{ n }] = (await manager.query(`SELECT nextval('rma_number_seq')::text AS n`)) as Array<{ n: string }>;
    const rmaNumber = `RMA-${now.getUTCFullYear()}-${n.padStart(6, '0')}`;
    const request: ReturnRequestEntity = {
      id,
      rmaNumber,
      tenantId,
      orderId: order.orderId,
      status: 'requested',
      resolution: body.resolution,
      amount: check.amount,
      currency: order.currency,
      reviewReasons: check.review,
      decision: null,
      statusReason: check.review.join('; ') || null,
      refundAmount: null,
      replacementOrderId: null,
      createdAt: now,
      updatedAt: now,
    };
    await manager.insert(ReturnRequestEntity, request);
    await manager.insert(
      ReturnLineEntity,
      body.lines.map((line, index) => ({ returnId: id, lineNo: index + 1, sku: line.sku, quantity: line.quantity, reasonCode: line.reasonCode, comment: line.comment ?? null })),
    );
    const saga = await this.steps.sagas.create(manager, id, {});
    const step: ReturnStep = { request, order, saga };
    await this.steps.announce(manager, step, null);
    if (check.review.length === 0) await this.saga.approve(manager, step, 'POLICY: no review needed', this.steps.requestSender(manager, request));
    return { id, rmaNumber, status: request.status };
  }

  /** A reviewer approves or rejects a requested return. */
  async review(manager: EntityManager, caller: Caller, id: string, decision: 'approve' | 'reject', reason: string): Promise<ReturnView> {
    return this.viewOf(manager, await this.saga.review(manager, caller, id, decision, reason));
  }

  /** The platform (or staff) withdraws a return before its goods arrive. */
  async cancel(manager: EntityManager, caller: Caller, id: string, reason: string | undefined): Promise<ReturnView> {
    return this.viewOf(manager, await this.saga.cancel(manager, caller, id, reason));
  }

  /** The warehouse records the goods that arrived (its answer moves the return to received). */
  async receive(manager: EntityManager, caller: Caller, id: string, lines: StockLineValue[] | undefined): Promise<ReturnView> {
    return this.viewOf(manager, await this.saga.receive(manager, caller, id, lines));
  }

  /** The warehouse grades what arrived (its answer moves the return to inspected, then refund or exchange). */
  async inspect(manager: EntityManager, caller: Caller, id: string, lines: Array<StockLineValue & { grade: 'A' | 'B' | 'C'; note?: string }>): Promise<ReturnView> {
    return this.viewOf(manager, await this.saga.inspect(manager, caller, id, lines));
  }

  async get(caller: Caller, id: string): Promise<ReturnView> {
    const manager = this.dataSource.manager;
    const request = await manager.findOneBy(ReturnRequestEntity, { id });
    if (!request || (caller.kind === 'platform' && request.tenantId !== caller.tenantId)) throw new SkaldError('RETURN_NOT_FOUND', `no return ${id}`, { retryable: false });
    const order = await manager.findOneByOrFail(ReturnableOrderEntity, { orderId: request.orderId });
    return this.view(manager, request, order, await this.steps.sagas.find(manager, id));
  }

  /** Newest first; a platform sees its own, staff all (`status=requested`: the review queue). */
  async list(caller: Caller, query: ListReturnsQuery): Promise<ReturnPageView> {
    const manager = this.dataSource.manager;
    const limit = query.limit ?? 20;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (caller.kind === 'platform') add('r.tenant_id = ?', caller.tenantId);
    if (query.orderId) add('r.order_id = ?', query.orderId);
    if (query.status) add('r.status = ?', query.status);
    if (query.cursor) {
      const cursor = decodeTimeIdCursor(query.cursor);
      params.push(cursor.createdAt, cursor.id);
      where.push(`(r.created_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const ids: Array<{ id: string }> = await manager.query(
      `SELECT r.id FROM return_request r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = ids.slice(0, limit).map(({ id }) => id);
    const requests = await manager.findBy(ReturnRequestEntity, { id: In(page) });
    const items = await this.views(manager, page.map((id) => requests.find((r) => r.id === id)).filter((r): r is ReturnRequestEntity => r !== undefined));
    const last = items.at(-1);
    return { items, nextCursor: ids.length > limit && last ? encodeTimeIdCursor(last.createdAt, last.id) : null };
  }

  private viewOf(manager: EntityManager, { request, order, saga }: ReturnStep): Promise<ReturnView> {
    return this.view(manager, request, order, saga);
  }

  /** The views of a page of returns: their lines, orders and sagas read in one query each. */
  private async views(manager: EntityManager, requests: ReturnRequestEntity[]): Promise<ReturnView[]> {
    if (requests.length === 0) return [];
    const ids = requests.map((r) => r.id);
    const lines = await manager.find(ReturnLineEntity, { where: { returnId: In(ids) }, order: { lineNo: 'ASC' } });
    const orders = await manager.findBy(ReturnableOrderEntity, { orderId: In([...new Set(requests.map((r) => r.orderId))]) });
    const sagas = await this.steps.sagas.findMany(manager, ids);
    return requests.map((request) => {
      // The return's order row is referenced by a foreign key: always there.
      const order = orders.find((o) => o.orderId === request.orderId);
      if (!order) throw new Error(`return ${request.id}: order ${request.orderId} missing from the replica`);
      return this.toView(request, order, sagas.find((s) => s.id === request.id) ?? null, lines.filter((l) => l.returnId === request.id));
    });
  }

  private async view(manager: EntityManager, request: ReturnRequestEntity, order: ReturnableOrderEntity, saga: ReturnSagaRow | null): Promise<ReturnView> {
    const lines = await manager.find(ReturnLineEntity, { where: { returnId: request.id }, order: { lineNo: 'ASC' } });
    return this.toView(request, order, saga, lines);
  }

  private toView(request: ReturnRequestEntity, order: ReturnableOrderEntity, saga: ReturnSagaRow | null, lines: ReturnLineEntity[]): ReturnView {
    return {
      id: request.id,
      rmaNumber: request.rmaNumber,
      status: request.status,
      orderId: request.orderId,
      externalId: order.externalId,
      platformId: request.tenantId,
      resolution: request.resolution,
      lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, reasonCode: l.reasonCode, comment: l.comment })),
      amount: normalizeAmount(request.amount),
      currency: request.currency,
      reviewReasons: request.reviewReasons,
      statusReason: request.statusReason,
      refundAmount: request.refundAmount === null ? null : normalizeAmount(request.refundAmount),
      replacementOrderId: request.replacementOrderId,
      warehouse: saga?.data.warehouse ?? null,
      received: saga?.data.received ?? null,
      inspection: saga?.data.inspection ?? null,
      refusal: saga?.data.refusal ?? null,
      stuck: saga?.data.stuck ?? false,
      overdue: saga?.data.overdue ?? false,
      waitingFor: saga ? RETURN_SAGA.states[saga.state].waitsFor : 'nothing',
      deadlineAt: saga?.deadlineAt?.toISOString() ?? null,
      createdAt: request.createdAt.toISOString(),
      updatedAt: request.updatedAt.toISOString(),
    };
  }
}
