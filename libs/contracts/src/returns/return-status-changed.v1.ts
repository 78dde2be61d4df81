import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsNumberString, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { CustomerValue, DECIMAL } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

/** Every status a return (RMA) can have. */
export const RETURN_STATUSES = ['requested', 'approved', 'rejected', 'received', 'inspected', 'refunded', 'exchanged', 'closed', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** What a return refunded: the amount of its refund instruction (returns.refund.requested.v1). */
export class ReturnRefundValue {
  @IsNumberString()
  @Matches(DECIMAL)
  amount: string;

  @IsString()
  @Length(3, 3)
  currency: string;
}

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

  /**
   * With status `refunded`: the amount the refund instruction asked for, so the customer's e-mail
   * can say it. Absent (or null) with every other status.
   */
  @IsOptional()
  @ValidateNested()
  @Type(() => ReturnRefundValue)
  refund?: ReturnRefundValue | null;
}

export const ReturnStatusChangedV1 = defineEvent({
  type: 'returns.return.status-changed',
  version: 1,
  owner: 'returns',
  summary: 'A return (RMA) changed status: requested, approved, rejected, received, inspected, refunded, exchanged, closed or cancelled.',
  payload: ReturnStatusChanged,
});
