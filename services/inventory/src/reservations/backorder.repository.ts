import { Injectable } from '@nestjs/common';
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
    const rows = await manager.query<
      Array<{
        id: string;
        order_id: string;
        attempt: number;
        tenant_id: string | null;
        sku: string;
        quantity: number;
        allocated: number;
        status: BackorderLine['status'];
        queued_at: Date;
        settled_at: Date | null;
        settled_reference: string | null;
      }>
    >(
      `SELECT id, order_id, attempt, tenant_id, sku, quantity, allocated, status, queued_at, settled_at, settled_reference
         FROM backorder_line
        WHERE order_id = $1 AND status = 'waiting' AND ($2::int IS NULL OR attempt = $2::int)
        ORDER BY sku, id`,
      [orderId, attempt ?? null],
    );
    return rows.map((row) => {
      const line = new BackorderLine();
      line.id = row.id;
      line.orderId = row.order_id;
      line.attempt = row.attempt;
      line.tenantId = row.tenant_id;
      line.sku = row.sku;
      line.quantity = row.quantity;
      line.allocated = row.allocated;
      line.status = row.status;
      line.queuedAt = row.queued_at;
      line.settledAt = row.settled_at;
      line.settledReference = row.settled_reference;
      return line;
    });
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
  async lockQueue(manager: EntityManager, skus: readonly string[]): Promise<QueuedLine[]> {
    const rows: Array<{
      id: string;
      order_id: string;
      attempt: number;
      tenant_id: string | null;
      sku: string;
      waiting: number;
      correlation_id: string | null;
      hold_until: Date | null;
    }> = await manager.query(
      `SELECT b.id, b.order_id, b.attempt, b.tenant_id, b.sku, b.quantity - b.allocated AS waiting,
              q.correlation_id, q.hold_until
         FROM backorder_line b
         JOIN reservation_request q ON q.order_id = b.order_id AND q.attempt = b.attempt
        WHERE b.status = 'waiting' AND b.sku = ANY($1::text[])
        ORDER BY b.id
        FOR UPDATE OF b`,
      [skus],
    );
    return rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      attempt: row.attempt,
      tenantId: row.tenant_id,
      sku: row.sku,
      waiting: row.waiting,
      correlationId: row.correlation_id,
      holdUntil: row.hold_until,
    }));
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
