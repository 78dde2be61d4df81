import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@skald/service-kit';

/** The inventory service's environment: the platform's variables plus reservation holds and their sweeper. */
export class InventoryConfig extends BaseServiceConfig {
  /**
   * How long (seconds) a reservation is held when the reserve command names no `holdUntil`
   * (default two days). Past it, the order's saga is told (ReservationExpired) and decides.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  RESERVATION_HOLD_SECONDS = 172_800;

  /** How often the expiry sweeper looks for reservations past their hold. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  RESERVATION_SWEEP_INTERVAL_MS = 10_000;

  /** Reservations one sweep transaction claims at most; a sweep takes batches until none are left. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  RESERVATION_SWEEP_BATCH_SIZE = 200;
}
