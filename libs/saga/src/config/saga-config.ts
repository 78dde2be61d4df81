import { BaseServiceConfig } from '@skald/service-kit';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { RetryPolicy } from '../definition/deadlines.js';

/** The environment of a service that runs a saga: the platform's variables plus the saga's clock. */
export class SagaServiceConfig extends BaseServiceConfig {
  /** How often the saga scheduler looks for due deadlines (safe with several replicas). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  SAGA_SCHEDULER_INTERVAL_MS = 5_000;

  /** How long a saga waits for a reply from another service before re-sending its command. */
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
}

/** The re-send policy a service's saga configuration gives. */
export function retryPolicyOf(config: SagaServiceConfig): RetryPolicy {
  return { replyTimeoutMs: config.SAGA_REPLY_TIMEOUT_MS, maxResends: config.SAGA_MAX_RESENDS };
}
