import { Logger } from '@nestjs/common';
import amqp, { type AmqpConnectionManager, type ChannelWrapper, type CreateChannelOpts } from 'amqp-connection-manager';
import { messagingMetrics } from '../metrics/messaging-metrics.js';
import { oneWritePerTurn, socketOf } from './one-write-per-turn.js';

export interface AmqpConnectionOptions {
  url: string;
  /** Shown as the connection name in the RabbitMQ management UI. */
  name: string;
  service: string;
  heartbeatSeconds?: number;
  reconnectSeconds?: number;
}

/**
 * The service's one broker connection (amqp-connection-manager: reconnects on its own).
 * Nagle is off: with it on, every request/reply hop waits ~40 ms for delayed ACKs. So that this
 * does not make every frame a socket write of its own, the frames of one turn go out together
 * (`oneWritePerTurn`).
 */
export class AmqpConnection {
  readonly manager: AmqpConnectionManager;
  private readonly logger = new Logger('AmqpConnection');

  constructor(private readonly options: AmqpConnectionOptions) {
    const gauge = messagingMetrics().brokerConnected.labels(options.service);
    gauge.set(0);
    this.manager = amqp.connect([options.url], {
      heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
      connectionOptions: {
        noDelay: true,
        clientProperties: { connection_name: options.name },
      },
    });
    this.manager.on('connect', ({ connection }) => {
      const socket = socketOf(connection);
      if (socket) oneWritePerTurn(socket);
      else this.logger.warn('amqplib connection without a socket where expected: frames are written one by one');
      gauge.set(1);
      this.logger.log(`connected to broker as ${options.name}`);
    });
    this.manager.on('disconnect', ({ err }) => {
      gauge.set(0);
      this.logger.warn(`broker connection lost: ${err?.message ?? 'closed'}`);
    });
    this.manager.on('connectFailed', ({ err }) => {
      this.logger.warn(`cannot reach broker: ${err.message}`);
    });
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  /**
   * A channel that is re-created (and its setup re-run) after every reconnect. Its errors are
   * logged here: a channel error must never become an unhandled 'error' event that kills the process.
   */
  createChannel(options: CreateChannelOpts): ChannelWrapper {
    const channel = this.manager.createChannel(options);
    channel.on('error', (error: Error, info: { name: string }) => {
      this.logger.warn(`channel ${info?.name ?? options.name ?? ''} error: ${error.message}`);
    });
    return channel;
  }

  /** Resolves once connected; rejects after `timeoutMs`. */
  async waitForConnect(timeoutMs: number): Promise<void> {
    if (this.isConnected()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.manager.off('connect', onConnect);
        reject(new Error(`broker not reachable within ${timeoutMs} ms`));
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.manager.once('connect', onConnect);
    });
  }

  async close(): Promise<void> {
    await this.manager.close();
    messagingMetrics().brokerConnected.labels(this.options.service).set(0);
  }
}
