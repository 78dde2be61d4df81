import { Logger } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { isDatabaseUnavailable, NotificationListener } from '@skald/persistence';
import type { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import type { AmqpConnection } from '../connection/amqp-connection.js';
import { messagingMetrics } from '../metrics/messaging-metrics.js';
import { assertExchanges } from '../topology/topology.js';
import { localRelays, OUTBOX_CHANNEL, type LocalRelay, type OutboxRecord } from './outbox.js';
import { TransactionOutbox } from './transaction-outbox.js';

export interface OutboxRelayOptions {
  service: string;
  dataSource: DataSource;
  connection: AmqpConnection;
  /** The service database, for the LISTEN connection. */
  databaseUrl: string;
  batchSize?: number;
  /** Safety net for missed notifications and rows waiting out a back-off. */
  pollIntervalMs?: number;
  publishTimeoutMs?: number;
  /** Sent rows older than this are deleted. */
  retentionMs?: number;
  /** While the database is unreachable, claims are retried after `initial` ms, doubling up to `max`. Default 500 ms → 10 s. */
  outageBackoffMs?: { initial: number; max: number };
}

interface OutboxRow {
  id: string;
  seq: string;
  exchange: string;
  routing_key: string;
  /** The envelope's JSON exactly as written: published as is. */
  body: string;
  headers: Record<string, string>;
  correlation_id: string;
  created_at: Date;
}

const CLEANUP_EVERY_MS = 60_000;

/** The most time confirmed fast-path messages wait to be marked sent in one statement. */
export const MARK_SENT_EVERY_MS = 200;

/**
 * Publishes outbox rows to the broker. It claims pending rows with `FOR UPDATE SKIP LOCKED` under
 * a lease (so any number of replicas can run), publishes them with publisher confirms, and marks
 * them sent. It wakes on NOTIFY from committing writers, so latency is not a polling interval.
 * Delivery is at least once: a relay that dies between confirm and marking leaves rows that are
 * sent again when their lease expires, and consumers' inboxes absorb the duplicate.
 */
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private channel?: ChannelWrapper;
  private listener?: NotificationListener;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private lastCleanup = 0;
  private readonly metrics = messagingMetrics();
  private readonly onBrokerConnect = () => this.trigger();
  /** Publishes what a transaction of this process wrote to the outbox, as soon as it commits. */
  private readonly onCommit: EntitySubscriberInterface = {
    afterTransactionCommit: (event: TransactionCommitEvent) => {
      const written = TransactionOutbox.takeCommitted(event.queryRunner);
      if (written.length > 0) void this.publishCommitted(written);
    },
  };
  private markTimer?: NodeJS.Timeout;
  private readonly fastPathInFlight = new Set<Promise<void>>();
  /** Messages this relay instance has published (broker-confirmed). */
  publishedCount = 0;
  private confirmedUnmarked: string[] = [];
  /** Set while the database is unreachable: claims wait until `retryAt`, and the outage is logged once. */
  private outage?: { since: number; delayMs: number; retryAt: number };

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    // Long enough for every publish of a batch to be confirmed or to time out.
    this.leaseMs = (options.publishTimeoutMs ?? 10_000) * 3;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.channel = this.options.connection.createChannel({
      name: `${this.options.service}-outbox-relay`,
      confirm: true,
      publishTimeout: this.options.publishTimeoutMs ?? 10_000,
      setup: (channel: ConfirmChannel) => assertExchanges(channel),
    });
    this.options.connection.manager.on('connect', this.onBrokerConnect);
    this.options.dataSource.subscribers.push(this.onCommit);
    // Long enough for the fast path's publish to be confirmed or time out; a crash costs this delay.
    const fastLeaseMs = (this.options.publishTimeoutMs ?? 10_000) + 5_000;
    localRelays.set(this.options.dataSource, { leaseMs: fastLeaseMs } satisfies LocalRelay);
    this.listener = new NotificationListener({
      url: this.options.databaseUrl,
      channel: OUTBOX_CHANNEL,
      // The service's LISTEN connection, shared with its other listeners (NotificationListener).
      applicationName: `${this.options.service}-listener`,
      onWake: () => this.trigger(),
      onProblem: (message) => this.logger.warn(`outbox ${message}`),
    });
    await this.listener.start();
    this.timer = setInterval(() => this.trigger(), this.options.pollIntervalMs ?? 1_000);
    this.trigger();
  }

  /** Stops claiming; the batch in progress finishes (publish and commit) first. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.options.connection.manager.off('connect', this.onBrokerConnect);
    const subscribers = this.options.dataSource.subscribers;
    if (subscribers.includes(this.onCommit)) subscribers.splice(subscribers.indexOf(this.onCommit), 1);
    localRelays.delete(this.options.dataSource);
    await Promise.allSettled([...this.fastPathInFlight]);
    await this.running;
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    await this.markConfirmed();
    await this.listener?.stop();
    this.listener = undefined;
    await this.channel?.close();
  }

  /**
   * The fast path: publishes rows a transaction of this process just committed (leased to this
   * relay when written). Confirmed ones are marked sent in a batch; the others get their lease
   * back at once, so the normal claim picks them up as soon as the broker is there.
   */
  private async publishCommitted(records: OutboxRecord[]): Promise<void> {
    const work = (async () => {
      const channel = this.channel;
      const ready = !this.stopped && channel !== undefined && this.options.connection.isConnected();
      const results = ready
        ? await Promise.allSettled(records.map((record) => this.publishRecord(channel, record, new Date())))
        : records.map(() => ({ status: 'rejected', reason: new Error('broker not connected') }) as PromiseRejectedResult);
      const sent = records.filter((_, i) => results[i].status === 'fulfilled').map((r) => r.id);
      const failed = records.filter((_, i) => results[i].status === 'rejected').map((r) => r.id);
      this.publishedCount += sent.length;
      this.metrics.published.labels(this.options.service).inc(sent.length);
      if (sent.length > 0) {
        this.confirmedUnmarked.push(...sent);
        this.scheduleMark();
      }
      if (failed.length > 0) {
        await this.options.dataSource
          .query(`UPDATE outbox_message SET available_at = now() WHERE id = ANY($1::uuid[]) AND sent_at IS NULL`, [failed])
          .catch((error: Error) => this.logger.warn(`outbox lease release failed, rows wait for their lease: ${error.message}`));
        this.trigger();
      }
    })();
    this.fastPathInFlight.add(work);
    await work.finally(() => this.fastPathInFlight.delete(work));
  }

  private publishRecord(channel: ChannelWrapper, record: OutboxRecord, createdAt: Date): Promise<boolean> {
    return channel.publish(record.exchange, record.routingKey, Buffer.from(record.body), {
      persistent: true,
      contentType: 'application/json',
      messageId: record.id,
      correlationId: record.correlationId,
      type: record.routingKey,
      timestamp: Math.floor(createdAt.getTime() / 1000),
      headers: record.headers,
    });
  }

  /**
   * Marks confirmed messages sent in one statement per MARK_SENT_EVERY_MS at most (or with the
   * next claim, whichever comes first), not one per confirm: under load confirms arrive one by one,
   * and a statement each was the relay's most frequent one. Until marked, a confirmed row stays
   * leased (the lease is seconds longer), so no relay claims it; a crash before the mark publishes
   * it once more after the lease (at least once, the inboxes absorb it). stop() marks what is left.
   */
  private scheduleMark(): void {
    if (this.markTimer) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = undefined;
      void this.markConfirmed();
    }, MARK_SENT_EVERY_MS);
    // Stopping marks what is left itself: the timer alone does not keep the process up.
    this.markTimer.unref();
  }

  /** Asks for a drain; coalesces with one already running. */
  trigger(): void {
    if (this.stopped) return;
    // Backing off while the database is away: the poll and the broker's reconnects do not hammer it.
    if (this.outage && Date.now() < this.outage.retryAt) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** True while the relay backs off because its database is unreachable. */
  get waitingForDatabase(): boolean {
    return this.outage !== undefined;
  }

  private databaseFailed(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    const { initial, max } = this.options.outageBackoffMs ?? { initial: 500, max: 10_000 };
    if (!this.outage) {
      this.logger.warn(`database unreachable, outbox relay backing off until it answers: ${(error as Error).message}`);
      this.outage = { since: Date.now(), delayMs: initial, retryAt: 0 };
    } else {
      this.outage.delayMs = Math.min(this.outage.delayMs * 2, max);
    }
    this.outage.retryAt = Date.now() + this.outage.delayMs;
    // The poll interval may be longer than the back-off: come back when it is over.
    setTimeout(() => this.trigger(), this.outage.delayMs).unref();
    return true;
  }

  private databaseAnswered(): void {
    if (!this.outage) return;
    this.logger.log(`database answers again after ${Date.now() - this.outage.since} ms, outbox relay resumes`);
    this.outage = undefined;
  }

  /** Publishes everything pending now; resolves when the outbox is empty or the broker is away. */
  private async drain(): Promise<void> {
    do {
      this.again = false;
      let claimed: number;
      do {
        claimed = await this.relayBatch();
      } while (claimed === this.batchSize && !this.stopped);
    } while (this.again && !this.stopped);
    await this.markConfirmed();
    await this.cleanupIfDue();
  }

  /**
   * Marks confirmed messages sent. Until then they are leased, not lost: if this relay dies first,
   * they are published again when the lease expires (at least once) and the inboxes absorb it.
   */
  private async markConfirmed(): Promise<void> {
    if (this.confirmedUnmarked.length === 0) return;
    const confirmed = this.confirmedUnmarked;
    this.confirmedUnmarked = [];
    try {
      await this.options.dataSource.query(`UPDATE outbox_message SET sent_at = now() WHERE id = ANY($1::uuid[])`, [confirmed]);
    } catch (error) {
      this.confirmedUnmarked.push(...confirmed);
      if (!this.stopped && !this.databaseFailed(error)) this.logger.warn(`marking sent outbox messages failed: ${(error as Error).message}`);
    }
  }

  /**
   * Claims a batch, publishes it, marks it sent. The claim is a lease, not an open transaction:
   * one statement moves the rows' `available_at` past the publish timeout (other relays skip them,
   * and a relay that dies mid-batch leaves them to be claimed again once the lease expires), so no
   * transaction or row lock is held while waiting for broker confirms.
   * @returns how many rows were published (0 also when the broker is unreachable).
   */
  async relayBatch(): Promise<number> {
    if (!this.options.connection.isConnected() || !this.channel) return 0;
    const { dataSource } = this.options;
    // Marks the previous batch sent in the claim statement: one round trip per batch under load.
    const confirmed = this.confirmedUnmarked;
    this.confirmedUnmarked = [];
    let marked = false;
    try {
      // The rows being marked are leased, so the claim never picks them (unless their lease ran out,
      // when either outcome is safe: marked, or published once more). TypeORM answers an
      // UPDATE … RETURNING as [rows, count].
      const [claimed] = (await dataSource.query(
        `WITH marked AS (UPDATE outbox_message SET sent_at = now() WHERE id = ANY($3::uuid[]))
         UPDATE outbox_message SET available_at = now() + $2 * interval '1 millisecond', attempts = attempts + 1
          WHERE id IN (SELECT id FROM outbox_message
                        WHERE sent_at IS NULL AND available_at <= now()
                        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, seq, exchange, routing_key, envelope::text AS body, headers, correlation_id, created_at`,
        [this.batchSize, this.leaseMs, confirmed],
      )) as [OutboxRow[], number];
      marked = true;
      this.databaseAnswered();
      if (claimed.length === 0) return 0;
      const rows = claimed.sort((a, b) => Number(a.seq) - Number(b.seq));
      const channel = this.channel;
      const results = await Promise.allSettled(
        rows.map((row) =>
          this.publishRecord(
            channel,
            { id: row.id, exchange: row.exchange, routingKey: row.routing_key, body: row.body, headers: row.headers, correlationId: row.correlation_id },
            row.created_at,
          ),
        ),
      );
      const sent = rows.filter((_, i) => results[i].status === 'fulfilled').map((row) => row.id);
      const failed = rows.filter((_, i) => results[i].status === 'rejected').map((row) => row.id);
      // Marked sent by the next claim, or by the flush when the outbox is drained.
      this.confirmedUnmarked.push(...sent);
      if (failed.length > 0) {
        const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
        const message = reason instanceof Error ? reason.message : String(reason);
        await dataSource.query(
          `UPDATE outbox_message
              SET last_error = $2,
                  available_at = now() + least(interval '1 second' * power(2, attempts - 1), interval '60 seconds')
            WHERE id = ANY($1::uuid[])`,
          [failed, message],
        );
        this.logger.warn(`${failed.length} outbox message(s) not confirmed, will retry: ${message}`);
      }
      this.publishedCount += sent.length;
      this.metrics.published.labels(this.options.service).inc(sent.length);
      this.metrics.publishFailures.labels(this.options.service).inc(failed.length);
      return failed.length > 0 ? 0 : sent.length;
    } catch (error) {
      // Claimed rows keep their lease and are sent again once it expires: at least once. The
      // confirmed ones are marked by the next successful claim or flush.
      if (!marked) this.confirmedUnmarked.unshift(...confirmed);
      if (this.databaseFailed(error)) return 0;
      if (!this.stopped) this.logger.error(`outbox relay batch failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private async cleanupIfDue(): Promise<void> {
    const now = Date.now();
    if (this.stopped || now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    const retentionMs = this.options.retentionMs ?? 7 * 24 * 3600_000;
    try {
      await this.options.dataSource.query(
        `DELETE FROM outbox_message WHERE id IN (
           SELECT id FROM outbox_message
            WHERE created_at < now() - $1 * interval '1 millisecond' AND sent_at IS NOT NULL LIMIT 5000)`,
        [retentionMs],
      );
    } catch (error) {
      if (!this.databaseFailed(error)) this.logger.warn(`outbox cleanup failed: ${(error as Error).message}`);
    }
  }
}
