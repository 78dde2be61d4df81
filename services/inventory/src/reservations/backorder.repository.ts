import { Injectable } from '@nestjs/common';
import { entityColumns } from '@skald/persistence';
import type { EntityManager } from 'typeorm';
import { compareIdentifiers } from '../common/identifiers.js';
import type { SkuQuantity } from '../common/quantities.js';
import { BackorderLine } from './backorder-line.entity.js';

export type NewBackorderLine = Pick<BackorderLine, 'orderId' | 'attempt' | 'tenantId' | 'sku' | 'quantity'>;

/** A waiting line in the queue, with what allocating to it needs from its reserve decision. */
export interface QueuedLine {
  id: string;
  orderId: string;
  attempt: number;
  tenantId: string | null;
  sku: string;
  /** Still waiting: quantity − allocated. */
  waiting: number;
  correlationId: string | null;
  holdUntil: Date | null;
}

/** A backorder line's columns, named as its properties (id: bigint, read as a string). */
const LINE = entityColumns(BackorderLine, {
  id: 'id',
  orderId: 'order_id',
  attempt: 'attempt',
  tenantId: 'tenant_id',
  sku: 'sku',
  quantity: 'quantity',
  allocated: 'allocated',
  status: 'status',
  queuedAt: 'queued_at',
  settledAt: 'settled_at',
  settledReference: 'settled_reference',
});

/**
 * Backorder lines. Every write happens under the allocation locks of the lines' SKUs (see
 * StockService.lockSkus); line rows are locked after the stock levels, in queue (id) order.
 */
@Injectable()
export class BackorderRepository {
  async insert(manager: EntityManager, lines: readonly NewBackorderLine[]): Promise<void> {
    if (lines.length === 0) return;
    // In SKU order, so the queue positions of one order's lines follow its lines.
    await manager.getRepository(BackorderLine).insert(lines.map((line) => ({ ...line, allocated: 0, status: 'waiting' as const })));
  }

  /**
   * The order's waiting lines (of one attempt, or all), by SKU.
   * Plain SQL on purpose: every reserve command reads them, and TypeORM's query builder and
   * hydration cost more CPU than the statement itself.
   */
  async waitingOfOrder(manager: EntityManager, orderId: string, attempt?: number): Promise<BackorderLine[]> {
    const rows: object[] = await manager.query(
      `SELECT ${LINE.list}
         FROM backorder_line
        WHERE order_id = $1 AND status = 'waiting' AND ($2::int IS NULL OR attempt = $2::int)
        ORDER BY sku, id`,
      [orderId, attempt ?? null],
    );
    return rows.map((row) => LINE.toEntity(row));
  }

  /** Those of these SKUs that have waiting lines. */
  async skusWaiting(manager: EntityManager, skus: readonly string[]): Promise<string[]> {
    const rows: Array<{ sku: string }> = await manager.query(
      `SELECT DISTINCT sku FROM backorder_line WHERE status = 'waiting' AND sku = ANY($1::text[]) ORDER BY sku`,
      [skus],
    );
    return rows.map((row) => row.sku);
  }

  /** Locks the waiting lines of these SKUs, first queued first, with their decisions' correlation and hold. */
  lockQueue(manager: EntityManager, skus: readonly string[]): Promise<QueuedLine[]> {
    // Not an entity: the columns are named as QueuedLine's properties, and the rows are those.
    return manager.query(
      `SELECT b.id, b.order_id AS "orderId", b.attempt, b.tenant_id AS "tenantId", b.sku, b.quantity - b.allocated AS waiting,
              q.correlation_id AS "correlationId", q.hold_until AS "holdUntil"
         FROM backorder_line b
         JOIN reservation_request q ON q.order_id = b.order_id AND q.attempt = b.attempt
        WHERE b.status = 'waiting' AND b.sku = ANY($1::text[])
        ORDER BY b.id
        FOR UPDATE OF b`,
      [skus],
    );
  }

  /** Records units allocated to a waiting line; the line is `filled` once nothing waits. */
  async addAllocated(manager: EntityManager, id: string, quantity: number): Promise<void> {
    await manager.query(
      `UPDATE backorder_line
          SET allocated = allocated + $2,
              status = CASE WHEN allocated + $2 = quantity THEN 'filled' ELSE status END,
              settled_at = CASE WHEN allocated + $2 = quantity THEN now() ELSE settled_at END
        WHERE id = $1 AND status = 'waiting'`,
      [id, quantity],
    );
  }

  /**
   * Ends the waiting lines of an order (all attempts, or those before `beforeAttempt`): they no
   * longer wait for stock.
   * @returns what stopped waiting, per SKU.
   */
  async endWaiting(manager: EntityManager, orderId: string, reference: string, beforeAttempt?: number): Promise<SkuQuantity[]> {
    const [rows]: [Array<{ sku: string; waiting: number }>, number] = await manager.query(
      `WITH waiting AS (
         SELECT id FROM backorder_line
          WHERE order_id = $1 AND status = 'waiting' AND ($3::int IS NULL OR attempt < $3::int)
          ORDER BY id
          FOR UPDATE)
       UPDATE backorder_line b SET status = 'ended', settled_at = now(), settled_reference = $2
         FROM waiting WHERE b.id = waiting.id
       RETURNING b.sku, b.quantity - b.allocated AS waiting`,
      [orderId, reference, beforeAttempt ?? null],
    );
    const bySku = new Map<string, number>();
    for (const row of rows) bySku.set(row.sku, (bySku.get(row.sku) ?? 0) + row.waiting);
    return [...bySku]
      .sort(([a], [b]) => compareIdentifiers(a, b))
      .map(([sku, quantity]) => ({ sku, quantity }));
  }
}
