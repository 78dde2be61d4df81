import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@skald/service-kit';

/** The orders service's environment: the platform's variables plus the saga's clock. */
export class OrdersConfig extends BaseServiceConfig {
  /** How often the saga scheduler looks for due deadlines (safe with several replicas). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  SAGA_SCHEDULER_INTERVAL_MS = 5_000;

  /** How long a saga waits for a reply from another service (review, reserve, outbound notes) before re-sending. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SAGA_REPLY_TIMEOUT_MS = 300_000;

  /** Re-sends of an unanswered command before the order is cancelled (or, compensating, reported stuck). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  SAGA_MAX_RESENDS = 5;

  /** How long a held order waits for a reviewer's decision before it is cancelled. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REVIEW_HOLD_TIMEOUT_MINUTES = 72 * 60;

  /** How long released outbound notes may take to ship before the order is cancelled. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FULFILMENT_TIMEOUT_MINUTES = 7 * 24 * 60;

  /** How long after shipment the saga waits for delivery confirmations before completing without them. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DELIVERY_CONFIRMATION_TIMEOUT_MINUTES = 30 * 24 * 60;
}
