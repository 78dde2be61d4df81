import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { SagaServiceConfig } from '@skald/saga';

/** The orders service's environment: the platform's variables, the saga's clock (SagaServiceConfig) and the order saga's waits. */
export class OrdersConfig extends SagaServiceConfig {
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
