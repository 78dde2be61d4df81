import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ReservationExpiredV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import type { InventoryConfig } from '../config/inventory-config.js';
import { compareIdentifiers } from '../common/identifiers.js';
import { ReservationRepository, type ExpiredReservation } from './reservation.repository.js';

/**
 * Tells order sagas that reservations are past their hold (ReservationExpired, one per order per
 * sweep). It does not release them: an outbound note may still be on its way, so the saga decides
 * (cancels the notes, then releases, or re-reserves). Each reservation is told about once: the
 * claim marks it notified in the transaction that writes the message to the outbox, and claims
 * skip rows other replicas hold (`FOR UPDATE SKIP LOCKED`), so any number of replicas may sweep.
 */
@Injectable()
export class ReservationExpirySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReservationExpirySweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly reservations: ReservationRepository,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) private readonly config: InventoryConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Stops sweeping; a sweep in progress finishes (and commits) first. */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * One sweep: claims expired reservations a batch (one transaction) at a time until none are
   * left, publishing ReservationExpired per order of each batch.
   * @returns how many reservations were notified.
   */
  async sweepOnce(): Promise<number> {
    let notified = 0;
    for (;;) {
      const claimed = await this.dataSource.transaction((manager) => this.sweepBatch(manager));
      notified += claimed;
      if (claimed < this.config.RESERVATION_SWEEP_BATCH_SIZE) return notified;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweepOnce()
        .then((notified) => {
          if (notified > 0) this.logger.log(`${notified} reservation(s) past their hold; their orders' sagas were told`);
        })
        .catch((error: Error) => {
          if (!this.stopped) this.logger.error(`expiry sweep failed, trying again next time: ${error.message}`);
        })
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.config.RESERVATION_SWEEP_INTERVAL_MS);
    // Never what keeps the process alive; shutdown stops it explicitly.
    this.timer.unref();
  }

  private async sweepBatch(manager: EntityManager): Promise<number> {
    const expired = await this.reservations.claimExpired(manager, this.config.RESERVATION_SWEEP_BATCH_SIZE);
    const byOrder = new Map<string, ExpiredReservation[]>();
    for (const reservation of expired) byOrder.set(reservation.orderId, [...(byOrder.get(reservation.orderId) ?? []), reservation]);
    for (const [orderId, reservations] of byOrder) {
      reservations.sort(
        (a, b) => compareIdentifiers(a.sku, b.sku) || compareIdentifiers(a.warehouse, b.warehouse) || compareIdentifiers(a.id, b.id),
      );
      // The latest attempt's saga correlation (the same saga in practice).
      const latest = reservations.reduce((a, b) => (b.attempt > a.attempt ? b : a));
      await this.outbox.publish(
        manager,
        ReservationExpiredV1,
        {
          orderId,
          reservations: reservations.map((r) => ({ reservationId: r.id, warehouse: r.warehouse, sku: r.sku, quantity: r.quantity })),
        },
        { correlationId: latest.correlationId ?? undefined, tenantId: latest.tenantId, causationId: null },
      );
      this.logger.log(`order ${orderId}: ${reservations.length} reservation(s) past their hold`);
    }
    return expired.length;
  }
}
