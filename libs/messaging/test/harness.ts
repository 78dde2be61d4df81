import { randomBytes } from 'node:crypto';
import { defineEvent, type MessageDefinition } from '@skald/contracts';
import { createScratchDatabase, postgresDataSourceOptions, type ScratchDatabase } from '@skald/persistence';
import amqplib, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { AmqpConnection } from '../src/connection/amqp-connection.js';
import { MessageConsumer, type MessageConsumerOptions } from '../src/consumer/message-consumer.js';
import { messagingMigrations } from '../src/migrations/1763800000000-messaging-tables.js';
import { OutboxRelay } from '../src/outbox/outbox-relay.js';
import { createTestVhost, type TestVhost } from '../src/testing/test-vhost.js';
import { assertExchanges } from '../src/topology/topology.js';

/** The base broker URL; each harness works in a scratch vhost of its own below it. */
export const RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export class ItemRecorded {
  @IsString()
  itemId: string;

  @IsInt()
  @Min(0)
  quantity: number;

  @IsOptional()
  @IsString()
  behaviour?: string;
}

const unique = () => randomBytes(4).toString('hex');

/**
 * One test's world: its own database (messaging tables + a `test_effect` table without unique
 * constraints, so a doubled effect shows as two rows), its own broker vhost (exchanges declared as
 * this code declares them), service name and contract routing key, and a raw amqplib connection
 * for probing.
 */
export class MessagingHarness {
  readonly service: string;
  readonly event: MessageDefinition<ItemRecorded>;
  dataSource!: DataSource;
  private database!: ScratchDatabase;
  private vhost!: TestVhost;
  private raw!: ChannelModel;
  rawChannel!: Channel;
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(readonly name: string) {
    const id = unique();
    this.service = `test-${name}-${id}`;
    this.event = defineEvent({
      type: `t${id}.item.recorded`,
      version: 1,
      owner: this.service,
      summary: 'test event',
      payload: ItemRecorded,
    });
  }

  get databaseUrl(): string {
    return this.database.url;
  }

  /** The broker URL of this world's vhost. */
  get rabbitmqUrl(): string {
    return this.vhost.url;
  }

  async setUp(): Promise<this> {
    this.database = await createScratchDatabase(`msg_${this.name}`);
    this.vhost = await createTestVhost(`msg-${this.name}`);
    this.dataSource = await this.newDataSource();
    await this.dataSource.runMigrations();
    await this.dataSource.query(`CREATE TABLE test_effect (message_id uuid NOT NULL, item_id text NOT NULL, attempt int NOT NULL, at timestamptz DEFAULT now())`);
    await this.dataSource.query(`CREATE TABLE test_state (id text PRIMARY KEY)`);
    this.raw = await amqplib.connect(this.vhost.url);
    this.raw.on('error', () => undefined);
    this.rawChannel = await this.raw.createChannel();
    this.rawChannel.on('error', () => undefined);
    // The broker may never have seen Skald (`npm test` runs in a vhost of its own): a probe bound
    // before any relay or consumer has connected needs the shared exchanges to exist.
    await assertExchanges(this.rawChannel);
    return this;
  }

  /** Another pool on the test database; `url` may lead through a TcpProxy, for outages. */
  async newDataSource(url = this.database.url, options: { statementTimeoutMs?: number } = {}): Promise<DataSource> {
    const dataSource = new DataSource(
      postgresDataSourceOptions({ url, applicationName: this.service, migrations: messagingMigrations, ...options }),
    );
    await dataSource.initialize();
    this.closers.push(() => dataSource.destroy());
    return dataSource;
  }

  connection(url = this.vhost.url, label = 'main'): AmqpConnection {
    const connection = new AmqpConnection({ url, name: `${this.service}-${label}`, service: this.service, reconnectSeconds: 0.2 });
    this.closers.push(() => connection.close());
    return connection;
  }

  /** A consumer whose handler records one effect row per message (and honours `behaviour`). */
  consumer(
    options: Partial<MessageConsumerOptions> & { onHandle?: (payload: ItemRecorded) => unknown; handles?: (payload: ItemRecorded) => boolean } = {},
  ): MessageConsumer {
    const consumer = new MessageConsumer({
      service: this.service,
      connection: options.connection ?? this.connection(),
      dataSource: options.dataSource ?? this.dataSource,
      retryDelaysMs: options.retryDelaysMs ?? [50, 100],
      prefetch: options.prefetch ?? 8,
      ...options,
    });
    consumer.addHandler(this.event.routingKey, async (payload: ItemRecorded, context) => {
      await options.onHandle?.(payload);
      if (payload.behaviour === 'fail') throw new Error(`handler refuses ${payload.itemId}`);
      if (payload.behaviour === 'slow') await context.manager.query(`SELECT pg_sleep(5)`);
      // The database is fine, but this handler kills its own connection: an "outage" it causes itself.
      if (payload.behaviour === 'kill-connection') await context.manager.query(`SELECT pg_terminate_backend(pg_backend_pid())`);
      await context.manager.query(`INSERT INTO test_effect (message_id, item_id, attempt) VALUES ($1, $2, $3)`, [
        context.envelope.id,
        payload.itemId,
        context.attempt,
      ]);
    }, undefined, options.handles as ((payload: object) => boolean) | undefined);
    this.closers.push(() => consumer.stop(5_000));
    return consumer;
  }

  relay(
    options: { connection?: AmqpConnection; dataSource?: DataSource; databaseUrl?: string; batchSize?: number; retentionMs?: number } = {},
  ): OutboxRelay {
    const relay = new OutboxRelay({
      service: this.service,
      dataSource: options.dataSource ?? this.dataSource,
      connection: options.connection ?? this.connection(),
      databaseUrl: options.databaseUrl ?? this.database.url,
      batchSize: options.batchSize,
      retentionMs: options.retentionMs,
      pollIntervalMs: 200,
      outageBackoffMs: { initial: 50, max: 200 },
    });
    this.closers.push(() => relay.stop());
    return relay;
  }

  /** A probe queue bound to the test routing key: sees every message the relay publishes. */
  async probe(): Promise<{ messages: ConsumeMessage[]; ids: () => string[] }> {
    const queue = `${this.service}.probe.${unique()}`;
    await this.rawChannel.assertQueue(queue, { exclusive: true, autoDelete: true });
    await this.rawChannel.bindQueue(queue, this.event.exchange, this.event.routingKey);
    const messages: ConsumeMessage[] = [];
    await this.rawChannel.consume(queue, (message) => message && messages.push(message), { noAck: true });
    return { messages, ids: () => messages.map((m) => m.properties.messageId as string) };
  }

  async effects(): Promise<Array<{ message_id: string; item_id: string }>> {
    return this.dataSource.query(`SELECT message_id, item_id FROM test_effect ORDER BY at`);
  }

  /** The attempt (1 = first delivery) on which each effect was made. */
  async effectAttempts(): Promise<number[]> {
    const rows: Array<{ attempt: number }> = await this.dataSource.query(`SELECT attempt FROM test_effect`);
    return rows.map((row) => row.attempt);
  }

  async pendingOutbox(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM outbox_message WHERE sent_at IS NULL`);
    return count;
  }

  async tearDown(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    await this.raw.close().catch(() => undefined);
    await this.vhost.remove();
    await this.database.drop();
  }
}
