import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { CustomerValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

/** Every status a return (RMA) can have. */
export const RETURN_STATUSES = ['requested', 'approved', 'rejected', 'received', 'inspected', 'refunded', 'exchanged', 'closed', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export class ReturnStatusChanged {
  @IsUUID()
  returnId: string;

  /** The number people read over the phone: RMA-2026-000123. */
  @IsString()
  @IsNotEmpty()
  rmaNumber: string;

  @IsUUID()
  orderId: string;

  /** The platform's own id of the order. */
  @IsString()
  @IsNotEmpty()
  externalId: string;

  @IsIn(RETURN_STATUSES)
  status: ReturnStatus;

  @IsOptional()
  @IsIn(RETURN_STATUSES)
  previousStatus: ReturnStatus | null;

  @IsOptional()
  @IsString()
  reason: string | null;

  @ValidateNested()
  @Type(() => CustomerValue)
  customer: CustomerValue;

  @IsISO8601()
  changedAt: string;
}

export const ReturnStatusChangedV1 = defineEvent({
  type: 'returns.return.status-changed',
  version: 1,
  owner: 'returns',
  summary: 'A return (RMA) changed status: requested, approved, rejected, received, inspected, refunded, exchanged, closed or cancelled.',
  payload: ReturnStatusChanged,
});
