import { IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineCommand } from '../registry/message-definition.js';

export class ReleaseStock {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  /** Why (cancellation reason, `BACKORDER_DEADLINE`, `RESERVATION_EXPIRED`…), kept in the ledger. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  /**
   * Only these active reservations (and, with `endBackorder`, the order's waiting backorder).
   * Absent: every active reservation and the backorder of the order, and a reserve command that
   * arrives later reserves nothing.
   */
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  reservationIds?: string[];

  /** With `reservationIds`: also stop waiting for the order's backordered lines. */
  @IsOptional()
  @IsBoolean()
  endBackorder?: boolean;
}

export const ReleaseStockV1 = defineCommand({
  type: 'inventory.release-stock',
  version: 1,
  owner: 'inventory',
  summary: "Give back an order's reserved stock (compensation): all of it, or the listed reservations. Idempotent.",
  payload: ReleaseStock,
});
