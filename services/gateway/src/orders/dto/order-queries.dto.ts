import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '@skald/contracts';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../http/page-query.dto.js';
import { CUSTOMER_ID_PATTERN, CUSTOMER_ID_PATTERN_MESSAGE, WORD_PATTERN, WORD_PATTERN_MESSAGE } from '../../http/validation.js';

export class OrderIdParams {
  @ApiProperty({ description: "Skald's id of the order.", format: 'uuid' })
  @IsUUID()
  id: string;
}

/** A platform's customer: customer ids are chosen by each platform, so one is known by both. */
export class PlatformCustomerParams {
  @ApiProperty({ description: 'The tenant id of the platform, as `skald platform create` prints it.', format: 'uuid' })
  @IsUUID()
  platformId: string;

  @ApiProperty({ description: "The customer's id on that platform.", pattern: CUSTOMER_ID_PATTERN.source })
  @Matches(CUSTOMER_ID_PATTERN, { message: `customerId ${CUSTOMER_ID_PATTERN_MESSAGE}` })
  customerId: string;
}

export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ pattern: WORD_PATTERN.source, example: 'web' })
  @IsOptional()
  @Matches(WORD_PATTERN, { message: `channel ${WORD_PATTERN_MESSAGE}` })
  channel?: string;

  @ApiPropertyOptional({ description: "Orders of one customer (the customer's id on its platform).", pattern: CUSTOMER_ID_PATTERN.source })
  @IsOptional()
  @Matches(CUSTOMER_ID_PATTERN, { message: `customerId ${CUSTOMER_ID_PATTERN_MESSAGE}` })
  customerId?: string;
}

export class ListReviewsQuery {
  @ApiPropertyOptional({ enum: ['pending'], description: 'Orders waiting for a reviewer.' })
  @IsOptional()
  @IsIn(['pending'])
  status?: 'pending';
}
