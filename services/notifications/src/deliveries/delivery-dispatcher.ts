import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { NotificationListener } from '@skald/persistence';
import { DataSource } from 'typeorm';
import type { NotificationsConfig } from '../config/notifications-config.js';
import { DeliveriesRepository, DELIVERY_NOTIFY_CHANNEL, type AttemptRecord, type ClaimedDelivery } from './deliveries.repository.js';
import { DeliverySender } from './delivery-sender.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

const RECORD_TRIES = 3;

/**
 * Sends due deliveries, outside any message handler's transaction. It claims them with
 * `FOR UPDATE SKIP LOCKED` in a short statement that leases them (`sending` until
 * `next_attempt_at`), sends without holding a transaction, and records the outcome in another
 * short transaction: so any number of replicas can run, and a crashed replica's claims come due
 * again when their lease ends. It wakes on NOTIFY from committing planners (only for deliveries on a
 * channel it can send), on a safety poll (which also picks up retries whose back-off has passed) and
 * whenever a send finishes and frees a slot.
 * Delivery is at least once: a replica that dies after a send but before recording it leaves a
 * claim that is sent again, with the same delivery id for the receiver to deduplicate.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private readonly policy: RetryPolicy;
  private readonly inFlight = new Set<Promise<void>>();
  private listener?: NotificationListener;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly sender: DeliverySender,
    @Inject(SERVICE_CONFIG) private readonly config: NotificationsConfig,
  ) {
    this.policy = {
      baseDelayMs: config.DELIVERY_RETRY_BASE_MS,
      maxDelayMs: config.DELIVERY_RETRY_MAX_DELAY_MS,
      maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** Stops claiming; sends in flight finish and are recorded first. */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.listener = new NotificationListener({
      url: this.config.DATABASE_URL,
      channel: DELIVERY_NOTIFY_CHANNEL,
      // The service's LISTEN connection, shared with the outbox relay and the subscription cache (NotificationListener).
      applicationName: 'notifications-listener',
      onNotification: (channels) => {
        if (this.canSendAny(channels)) this.trigger();
      },
      // Connected (again): what was planned while it did not listen is claimed now.
      onListening: () => this.trigger(),
      onProblem: (message) => this.logger.warn(`delivery ${message}`),
    });
    await this.listener.start();
    // The sweep of abandoned last attempts is housekeeping: on the timer only, not on every wake-up.
    this.timer = setInterval(() => {
      void this.failExpiredLastAttempts();
      this.trigger();
    }, this.config.DELIVERY_POLL_INTERVAL_MS);
    this.trigger();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await Promise.allSettled([...this.inFlight]);
    await this.listener?.stop();
    this.listener = undefined;
  }

  /**
   * Whether a NOTIFY's new deliveries (their channels, `email,webhook`) include one this replica can
   * send: deliveries on a channel it lacks (no SMTP_URL, …) wait for a replica that has it, and a
   * claim for them would find nothing. An empty payload (an older version's) names no channel: it wakes.
   */
  private canSendAny(channels: string): boolean {
    if (channels === '') return true;
    const available: string[] = this.sender.availableChannels();
    return channels.split(',').some((channel) => available.includes(channel));
  }

  /** Asks for a round of claims; coalesces with one already running. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Claims while there are free slots and due deliveries; a finishing send triggers the next round. */
  private async drain(): Promise<void> {
    do {
      this.again = false;
      while (!this.stopped) {
        const free = this.config.DELIVERY_CONCURRENCY - this.inFlight.size;
        if (free <= 0) return;
        const claimed = await this.claim(free);
        for (const delivery of claimed) this.launch(delivery);
        if (claimed.length < free) break;
      }
    } while (this.again && !this.stopped);
  }

  private async claim(limit: number): Promise<ClaimedDelivery[]> {
    try {
      return await this.deliveries.claimDue(this.dataSource.manager, {
        limit,
        channels: this.sender.availableChannels(),
        maxAttempts: this.policy.maxAttempts,
        leaseMs: this.config.DELIVERY_LEASE_MS,
      });
    } catch (error) {
      if (!this.stopped) this.logger.error(`claiming deliveries failed: ${(error as Error).message}`);
      return [];
    }
  }

  private async failExpiredLastAttempts(): Promise<void> {
    try {
      const failed = await this.deliveries.failExpiredLastAttempts(this.dataSource.manager, this.policy.maxAttempts, this.config.DELIVERY_LEASE_MS);
      if (failed > 0) this.logger.warn(`${failed} delivery(ies) failed: their last attempt's sender stopped before recording it`);
    } catch (error) {
      if (!this.stopped) this.logger.error(`expiring abandoned deliveries failed: ${(error as Error).message}`);
    }
  }

  private launch(delivery: ClaimedDelivery): void {
    const send = this.deliver(delivery).finally(() => {
      this.inFlight.delete(send);
      this.trigger();
    });
    this.inFlight.add(send);
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const started = performance.now();
    const outcome = await this.sender.send(delivery);
    const retryInMs = outcome.ok || !outcome.retryable ? null : retryDelayMs(delivery.attempt, this.policy);
    const record: AttemptRecord = {
      deliveryId: delivery.id,
      attempt: delivery.attempt,
      startedAt: delivery.claimedAt,
      durationMs: Math.round(performance.now() - started),
      outcome: outcome.ok ? 'sent' : outcome.retryable ? 'failed' : 'rejected',
      detail: outcome.detail,
      retryInMs,
    };
    const what = `${delivery.channel} delivery ${delivery.id} (attempt ${delivery.attempt})`;
    if (outcome.ok) this.logger.log(`${what} sent: ${outcome.detail}`);
    else if (retryInMs !== null) this.logger.warn(`${what} failed, retry in ${retryInMs} ms: ${outcome.detail}`);
    else this.logger.error(`${what} failed for good: ${outcome.detail}`);
    await this.record(record, what);
  }

  /** Records the outcome, retrying briefly: an unrecorded send is sent again once its lease ends. */
  private async record(record: AttemptRecord, what: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const current = await this.dataSource.transaction((manager) => this.deliveries.recordAttempt(manager, record));
        if (!current) this.logger.warn(`${what}: the lease ran out before the outcome was recorded; another attempt was claimed`);
        return;
      } catch (error) {
        if (attempt >= RECORD_TRIES) {
          this.logger.error(`${what}: recording the outcome failed, it will be sent again after its lease: ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
}
