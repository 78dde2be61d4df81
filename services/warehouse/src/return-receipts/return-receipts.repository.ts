import { Injectable } from '@nestjs/common';
import type { InspectedLineValue, StockLineValue } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { ReturnInspectionLine, ReturnReceipt, ReturnReceiptLine } from './return-receipt.entity.js';

/** Return receipts, their lines and inspections. Every method runs in the caller's transaction (`manager`). */
@Injectable()
export class ReturnReceiptsRepository {
  /**
   * Opens the receipt in status `expected` with its lines (one per SKU) unless the return has a
   * row already (opened before, or cancelled first). A concurrent insert of the same return waits
   * for the other transaction and then inserts nothing. Returns whether this call opened it.
   */
  async insertExpected(
    manager: EntityManager,
    receipt: Pick<ReturnReceipt, 'returnId' | 'rmaNumber' | 'orderId' | 'tenantId' | 'warehouse' | 'expectedAt'>,
    lines: StockLineValue[],
  ): Promise<boolean> {
    const inserted: Array<{ return_id: string }> = await manager.query(
      `INSERT INTO return_receipt (return_id, rma_number, order_id, tenant_id, warehouse, status, expected_at)
       VALUES ($1, $2, $3, $4, $5, 'expected', $6)
       ON CONFLICT (return_id) DO NOTHING
       RETURNING return_id`,
      [receipt.returnId, receipt.rmaNumber, receipt.orderId, receipt.tenantId, receipt.warehouse, receipt.expectedAt],
    );
    if (inserted.length === 0) return false;
    await manager.query(
      `INSERT INTO return_receipt_line (return_id, sku, expected_quantity)
       SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS line (sku, quantity)`,
      [receipt.returnId, lines.map((line) => line.sku), lines.map((line) => line.quantity)],
    );
    return true;
  }

  /** The tombstone of a return cancelled before expect-return arrived, unless the return has a row. */
  async insertCancelled(manager: EntityManager, tombstone: { returnId: string; tenantId: string | null; reason: string; at: Date }): Promise<void> {
    await manager.query(
      `INSERT INTO return_receipt (return_id, tenant_id, status, cancelled_at, cancel_reason)
       VALUES ($1, $2, 'cancelled', $3, $4)
       ON CONFLICT (return_id) DO NOTHING`,
      [tombstone.returnId, tombstone.tenantId, tombstone.at, tombstone.reason],
    );
  }

  /** The return's receipt, locked until the transaction ends: its commands run one after the other. */
  lock(manager: EntityManager, returnId: string): Promise<ReturnReceipt | null> {
    return manager.getRepository(ReturnReceipt).findOne({ where: { returnId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The receipt's lines, by SKU. */
  lines(manager: EntityManager, returnId: string): Promise<ReturnReceiptLine[]> {
    return manager.getRepository(ReturnReceiptLine).find({ where: { returnId }, order: { sku: 'ASC' } });
  }

  /** The inspection's lines, in the inspector's order. */
  inspectionLines(manager: EntityManager, returnId: string): Promise<ReturnInspectionLine[]> {
    return manager.getRepository(ReturnInspectionLine).find({ where: { returnId }, order: { lineNo: 'ASC' } });
  }

  /** Records what arrived (SKUs absent from `received`: none) and moves the receipt to `received`. */
  async markReceived(manager: EntityManager, returnId: string, received: ReadonlyMap<string, number>, at: Date): Promise<void> {
    await manager.query(
      `UPDATE return_receipt_line l
          SET received_quantity = COALESCE((SELECT r.quantity FROM unnest($2::text[], $3::int[]) AS r (sku, quantity) WHERE r.sku = l.sku), 0)
        WHERE l.return_id = $1`,
      [returnId, [...received.keys()], [...received.values()]],
    );
    await manager.query(`UPDATE return_receipt SET status = 'received', received_at = $2 WHERE return_id = $1 AND status = 'expected'`, [returnId, at]);
  }

  /** Records the inspection's lines and moves the receipt to `inspected`. */
  async markInspected(manager: EntityManager, returnId: string, lines: InspectedLineValue[], at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO return_inspection_line (return_id, line_no, sku, grade, quantity, note)
       SELECT $1, line.no, line.sku, line.grade, line.quantity, line.note
         FROM unnest($2::text[], $3::text[], $4::int[], $5::text[]) WITH ORDINALITY AS line (sku, grade, quantity, note, no)`,
      [returnId, lines.map((l) => l.sku), lines.map((l) => l.grade), lines.map((l) => l.quantity), lines.map((l) => l.note ?? null)],
    );
    await manager.query(`UPDATE return_receipt SET status = 'inspected', inspected_at = $2 WHERE return_id = $1 AND status = 'received'`, [returnId, at]);
  }

  async markCancelled(manager: EntityManager, returnId: string, reason: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE return_receipt SET status = 'cancelled', cancelled_at = $2, cancel_reason = $3 WHERE return_id = $1 AND status = 'expected'`,
      [returnId, at, reason],
    );
  }
}
