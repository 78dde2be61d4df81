import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AmqpConnection } from './connection/amqp-connection.js';
import { MessageConsumer } from './consumer/message-consumer.js';
import { Inbox } from './inbox/inbox.js';
import { BacklogMetrics } from './metrics/backlog-metrics.js';
import { Outbox } from './outbox/outbox.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { SkaldTransport } from './transport/skald-transport.js';

export interface MessagingModuleOptions {
  service: string;
  rabbitmqUrl: string;
  /** The service database (the relay LISTENs on it). */
  databaseUrl: string;
  retryDelaysMs?: number[];
  prefetch?: number;
  deliveryLimit?: number;
  relayBatchSize?: number;
  relayPollIntervalMs?: number;
  outboxRetentionMs?: number;
  inboxRetentionMs?: number;
  /** How long a graceful stop waits for in-flight handlers. */
  shutdownTimeoutMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Starts the outbox relay once the application is up and stops messaging in the right order on
 * shutdown: stop consuming and finish in-flight handlers, stop the relay, then (after the HTTP
 * server and the database are done) close the broker connection.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly connection: AmqpConnection,
    private readonly relay: OutboxRelay,
    private readonly consumer: MessageConsumer,
    private readonly dataSource: DataSource,
    private readonly backlog: BacklogMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    const inbox = new Inbox();
    this.pruneTimer = setInterval(() => {
      inbox
        .prune(this.dataSource.manager, this.options.inboxRetentionMs ?? 30 * 24 * 3_600_000)
        .catch((error: Error) => this.logger.warn(`inbox prune failed: ${error.message}`));
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.consumer.stop(this.options.shutdownTimeoutMs ?? 30_000);
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.backlog.close();
    await this.connection.close();
  }
}

/** The messaging platform for a service: connection, outbox, relay, consumer, Nest transport, backlog metrics. */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: AmqpConnection,
          useFactory: () =>
            new AmqpConnection({
              url: options.rabbitmqUrl,
              name: `${options.service}@${process.env.HOSTNAME ?? 'local'}:${process.pid}`,
              service: options.service,
            }),
        },
        { provide: Outbox, useValue: new Outbox() },
        {
          provide: OutboxRelay,
          inject: [DataSource, AmqpConnection],
          useFactory: (dataSource: DataSource, connection: AmqpConnection) =>
            new OutboxRelay({
              service: options.service,
              dataSource,
              connection,
              databaseUrl: options.databaseUrl,
              batchSize: options.relayBatchSize,
              pollIntervalMs: options.relayPollIntervalMs,
              retentionMs: options.outboxRetentionMs,
            }),
        },
        {
          provide: MessageConsumer,
          inject: [DataSource, AmqpConnection, Outbox],
          useFactory: (dataSource: DataSource, connection: AmqpConnection, outbox: Outbox) =>
            new MessageConsumer({
              service: options.service,
              dataSource,
              connection,
              outbox,
              retryDelaysMs: options.retryDelaysMs,
              prefetch: options.prefetch,
              deliveryLimit: options.deliveryLimit,
            }),
        },
        {
          provide: SkaldTransport,
          inject: [MessageConsumer],
          useFactory: (consumer: MessageConsumer) => new SkaldTransport(consumer),
        },
        {
          provide: BacklogMetrics,
          inject: [DataSource, AmqpConnection],
          useFactory: (dataSource: DataSource, connection: AmqpConnection) => new BacklogMetrics({ service: options.service, dataSource, connection }),
        },
        MessagingLifecycle,
      ],
      exports: [MESSAGING_OPTIONS, AmqpConnection, Outbox, OutboxRelay, MessageConsumer, SkaldTransport],
    };
  }
}
