import { IsIn, IsNotEmpty, IsNumberString, IsString, Length, Matches } from 'class-validator';
import { DECIMAL } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

export class RefundRequested {
  /** Unique per refund: `<orderId>:<what>`; a platform deduplicates on it. */
  @IsString()
  @IsNotEmpty()
  refundId: string;

  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;

  @IsNumberString()
  @Matches(DECIMAL)
  amount: string;

  @IsString()
  @Length(3, 3)
  currency: string;

  /** `order_cancelled` (the whole payment) or `lines_cancelled` (a partial order's cancelled rest). */
  @IsIn(['order_cancelled', 'lines_cancelled'])
  scope: 'order_cancelled' | 'lines_cancelled';

  @IsString()
  @IsNotEmpty()
  reason: string;
}

export const RefundRequestedV1 = defineEvent({
  type: 'orders.refund.requested',
  version: 1,
  owner: 'orders',
  summary: 'A paid order (or part of it) was cancelled: the platform is instructed to refund the amount.',
  payload: RefundRequested,
});
