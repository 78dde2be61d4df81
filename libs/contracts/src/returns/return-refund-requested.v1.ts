import { Type } from 'class-transformer';
import { IsArray, IsNotEmpty, IsNumberString, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { DECIMAL, GradedLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

/** One graded line of a refund: what it is worth (grade C at the policy's scrap share). */
export class RefundedLineValue extends GradedLineValue {
  @IsNumberString()
  @Matches(DECIMAL)
  amount: string;
}

export class ReturnRefundRequested {
  /** Unique per refund (`return:<returnId>`); a platform deduplicates on it. */
  @IsString()
  @IsNotEmpty()
  refundId: string;

  @IsUUID()
  returnId: string;

  @IsString()
  @IsNotEmpty()
  rmaNumber: string;

  @IsUUID()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;

  /** The order's line prices × accepted quantities (grade C × scrapRefundPercent), never above what was paid. */
  @IsNumberString()
  @Matches(DECIMAL)
  amount: string;

  @IsString()
  @Length(3, 3)
  currency: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RefundedLineValue)
  lines: RefundedLineValue[];
}

export const ReturnRefundRequestedV1 = defineEvent({
  type: 'returns.refund.requested',
  version: 1,
  owner: 'returns',
  summary: 'An inspected return is to be refunded: the platform is instructed to refund the amount (webhook return.refund_requested).',
  payload: ReturnRefundRequested,
});
