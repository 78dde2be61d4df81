import type { ChannelWrapper } from 'amqp-connection-manager';
import { Gauge, register, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { AmqpConnection } from '../connection/amqp-connection.js';
import { deadLetterQueueName } from '../topology/names.js';

/** How long a scrape waits for the database or the broker before it shows the last values (a scrape must stay fast in an outage). */
const READ_TIMEOUT_MS = 2_000;

function within<T>(work: Promise<T>, ms = READ_TIMEOUT_MS): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

export interface BacklogSources {
  service: string;
  dataSource: DataSource;
  connection: AmqpConnection;
}

/**
 * What is waiting in a service's messaging, read at each scrape:
 * - `skald_outbox_backlog{service}`: outbox rows not sent yet, and `skald_outbox_lag_seconds{service}`:
 *   the age of the oldest (0 when none). A growing lag means messages are not leaving: the relay is
 *   stopped, the broker refuses them, or rows wait out a publish back-off. One query over the
 *   partial index of unsent rows: cheap however many sent rows the table keeps.
 * - `skald_dead_letter_depth{service}`: messages in the service's dead-letter queue (the broker's
 *   count, `checkQueue`), each one a message some effect is still missing for.
 * A source that does not answer within two seconds leaves its gauge at the last value read.
 */
/** The service's backlog reader per registry (one per process in a service; tests make their own). */
const active = new Map<Registry, BacklogMetrics>();

export class BacklogMetrics {
  private channel?: ChannelWrapper;
  private outbox?: { at: number; read: Promise<{ backlog: number; lagSeconds: number } | undefined> };

  constructor(
    readonly sources: BacklogSources,
    registry: Registry = register,
  ) {
    registerBacklogGauges(registry);
    active.set(registry, this);
  }

  /** The unsent outbox rows and the age of the oldest: one query serves both gauges of a scrape. */
  readOutbox(): Promise<{ backlog: number; lagSeconds: number } | undefined> {
    if (!this.outbox || Date.now() - this.outbox.at > 1_000) {
      const query: Promise<Array<{ backlog: number; lag: number }>> = this.sources.dataSource.query(
        `SELECT count(*)::int AS backlog, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS lag
           FROM outbox_message WHERE sent_at IS NULL`,
      );
      this.outbox = { at: Date.now(), read: within(query.then(([row]) => ({ backlog: row.backlog, lagSeconds: Math.max(0, row.lag) }))) };
    }
    return this.outbox.read;
  }

  /** Messages in the dead-letter queue; undefined when the broker did not tell. */
  async readDeadLetterDepth(): Promise<number | undefined> {
    if (!this.sources.connection.isConnected()) return undefined;
    const channel = (this.channel ??= this.sources.connection.createChannel({ name: `${this.sources.service}-metrics` }));
    const queue = deadLetterQueueName(this.sources.service);
    const reply = await within(channel.waitForConnect().then(() => channel.checkQueue(queue)));
    return reply?.messageCount;
  }

  /** Stops reading (the gauges keep their last values) and closes the broker channel. */
  async close(): Promise<void> {
    for (const [registry, metrics] of active) if (metrics === this) active.delete(registry);
    // A broker already gone must not hold up the service's shutdown.
    await this.channel?.close().catch(() => undefined);
    this.channel = undefined;
  }
}

function registerBacklogGauges(registry: Registry): void {
  const gauge = (name: string, help: string, read: (metrics: BacklogMetrics) => Promise<number | undefined>) => {
    if (registry.getSingleMetric(name)) return;
    new Gauge({
      name,
      help,
      labelNames: ['service'],
      registers: [registry],
      async collect() {
        const metrics = active.get(registry);
        if (!metrics) return;
        const value = await read(metrics);
        if (value !== undefined) this.set({ service: metrics.sources.service }, value);
      },
    });
  };
  gauge('skald_outbox_backlog', 'Outbox rows not sent to the broker yet', async (m) => (await m.readOutbox())?.backlog);
  gauge('skald_outbox_lag_seconds', 'Age of the oldest outbox row not sent yet, in seconds (0 when none)', async (m) => (await m.readOutbox())?.lagSeconds);
  gauge('skald_dead_letter_depth', 'Messages in the service’s dead-letter queue', (m) => m.readDeadLetterDepth());
}
