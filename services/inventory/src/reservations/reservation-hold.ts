import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { InventoryConfig } from '../config/inventory-config.js';

/** Until when a new reservation is held before its order's saga is told it expired. */
@Injectable()
export class ReservationHold {
  private readonly holdMs: number;

  constructor(@Inject(SERVICE_CONFIG) config: InventoryConfig) {
    this.holdMs = config.RESERVATION_HOLD_SECONDS * 1_000;
  }

  /** The hold the reserve command asked for, or the configured one counted from now. */
  expiresAt(holdUntil: Date | null): Date {
    return holdUntil ?? new Date(Date.now() + this.holdMs);
  }
}
