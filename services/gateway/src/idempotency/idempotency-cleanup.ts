import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyService } from './idempotency.service.js';

const CLEANUP_EVERY_MS = 10 * 60_000;

/** Deletes expired idempotency records (older than 24 h) every few minutes; safe on many replicas. */
@Injectable()
export class IdempotencyCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyCleanup.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One cleanup pass (also what the timer runs). */
  async runOnce(): Promise<number> {
    const pass = this.idempotency.purgeExpired(this.dataSource.manager).catch((error: Error) => {
      this.logger.warn(`idempotency cleanup failed: ${error.message}`);
      return 0;
    });
    this.running = pass.then(() => undefined);
    const deleted = await pass;
    if (deleted > 0) this.logger.log(`deleted ${deleted} expired idempotency record(s)`);
    return deleted;
  }
}
