import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@skald/service-kit';

/** The returns service's environment: the platform's variables plus the return saga's clock. */
export class ReturnsConfig extends BaseServiceConfig {
  /** How often the return saga's scheduler looks for due deadlines (safe with several replicas). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  RETURN_SCHEDULER_INTERVAL_MS = 5_000;

  /** How long a command of the return saga waits for its reply before it is re-sent. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SAGA_REPLY_TIMEOUT_MS = 300_000;

  /** Re-sends of an unanswered command before the saga gives up (or, compensating, shows as stuck). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  SAGA_MAX_RESENDS = 5;

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
