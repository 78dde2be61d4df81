import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { SagaServiceConfig } from '@skald/saga';

/** The returns service's environment: the platform's variables, the saga's clock (SagaServiceConfig) and the return saga's waits. */
export class ReturnsConfig extends SagaServiceConfig {
  /** After-sales answer rule (售后): a return waiting for review longer than this is overdue. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETURN_REVIEW_DUE_HOURS = 24;

  /** How long an approved return waits for the goods before it is cancelled (RETURN_NOT_RECEIVED). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETURN_GOODS_TIMEOUT_DAYS = 30;

  /** How long received goods may wait for inspection before the return shows as overdue. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RETURN_INSPECTION_DUE_HOURS = 72;
}
