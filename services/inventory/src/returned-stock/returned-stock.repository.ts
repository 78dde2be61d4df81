import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ReturnedStockBooking } from './returned-stock-booking.entity.js';

@Injectable()
export class ReturnedStockRepository {
  /** Serializes the commands of one return until the transaction ends (a re-sent copy waits for the first). */
  async lockReturn(manager: EntityManager, returnId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('inventory.return:' || $1, 0))`, [returnId]);
  }

  find(manager: EntityManager, returnId: string): Promise<ReturnedStockBooking | null> {
    return manager.getRepository(ReturnedStockBooking).findOneBy({ returnId });
  }

  /** Records the decision; `decidedAt` comes back from the database. */
  async insert(manager: EntityManager, booking: Omit<ReturnedStockBooking, 'decidedAt'>): Promise<ReturnedStockBooking> {
    const [row]: Array<{ decided_at: Date }> = await manager.query(
      `INSERT INTO returned_stock_booking (return_id, rma_number, order_id, tenant_id, warehouse, lines, outcome, code, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING decided_at`,
      [
        booking.returnId,
        booking.rmaNumber,
        booking.orderId,
        booking.tenantId,
        booking.warehouse,
        JSON.stringify(booking.lines),
        booking.outcome,
        booking.code,
        booking.reason,
      ],
    );
    return Object.assign(new ReturnedStockBooking(), booking, { decidedAt: row.decided_at });
  }
}
