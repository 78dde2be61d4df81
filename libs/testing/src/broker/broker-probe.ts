import { randomUUID } from 'node:crypto';
import type { MessageDefinition, MessageEnvelope } from '@skald/contracts';
import { assertExchanges, mainQueueName } from '@skald/messaging';
import amqplib, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { waitFor } from '@skald/messaging';

export type ReceivedMessage<P = unknown> = MessageEnvelope<P> & { routingKey: string; headers: Record<string, unknown> };

/**
 * Plays the other services on a test's broker: publishes messages as they would (a valid envelope
 * on the contract's exchange) and records every message of the routing keys it watches.
 */
export class BrokerProbe {
  private connection?: ChannelModel;
  private channel?: ConfirmChannel;
  private queue?: string;
  readonly received: ReceivedMessage[] = [];

  constructor(private readonly url: string) {}

  async start(watch: MessageDefinition[] = []): Promise<this> {
    this.connection = await amqplib.connect(this.url);
    this.connection.on('error', () => undefined);
    // In confirm mode, so a test can wait until the broker has taken what it published.
    this.channel = await this.connection.createConfirmChannel();
    await assertExchanges(this.channel);
    const { queue } = await this.channel.assertQueue('', { exclusive: true, autoDelete: true });
    this.queue = queue;
    for (const definition of watch) await this.watch(definition);
    await this.channel.consume(
      queue,
      (message) => {
        if (!message) return;
        this.received.push({
          ...(JSON.parse(message.content.toString()) as MessageEnvelope),
          routingKey: message.fields.routingKey,
          headers: message.properties.headers ?? {},
        });
      },
      { noAck: true },
    );
    return this;
  }

  async watch(definition: MessageDefinition): Promise<void> {
    if (!this.channel || !this.queue) throw new Error('BrokerProbe not started');
    await this.channel.bindQueue(this.queue, definition.exchange, definition.routingKey);
  }

  /**
   * Waits until `service` consumes its queue. A service answers /health/ready before its queue is
   * bound (it does not wait for the broker), and what is published before the binding goes to
   * the unrouted queue, not to the service.
   */
  async consumerOf(service: string, timeoutMs = 15_000): Promise<void> {
    if (!this.connection) throw new Error('BrokerProbe not started');
    const connection = this.connection;
    await waitFor(`${service} consuming ${mainQueueName(service)}`, async () => {
      // A channel per check: checking a queue not yet declared closes the channel.
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        return (await channel.checkQueue(mainQueueName(service))).consumerCount > 0;
      } finally {
        await channel.close().catch(() => undefined);
      }
    }, timeoutMs);
  }

  /** Publishes a message as its owner would; returns the envelope. */
  publish<P extends object>(
    definition: MessageDefinition<P>,
    payload: P,
    meta: { tenantId?: string | null; correlationId?: string; causationId?: string | null; id?: string } = {},
  ): MessageEnvelope<P> {
    if (!this.channel) throw new Error('BrokerProbe not started');
    const envelope: MessageEnvelope<P> = {
      id: meta.id ?? randomUUID(),
      type: definition.type,
      version: definition.version,
      occurredAt: new Date().toISOString(),
      correlationId: meta.correlationId ?? randomUUID(),
      causationId: meta.causationId ?? null,
      tenantId: meta.tenantId ?? null,
      payload,
    };
    this.channel.publish(definition.exchange, definition.routingKey, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      messageId: envelope.id,
      correlationId: envelope.correlationId,
      contentType: 'application/json',
    });
    return envelope;
  }

  /** Resolves once the broker has confirmed every message published so far (rejects if it refused one). */
  async confirmed(): Promise<void> {
    if (!this.channel) throw new Error('BrokerProbe not started');
    await this.channel.waitForConfirms();
  }

  /** Messages of a contract seen so far, optionally filtered. */
  messages<P>(definition: MessageDefinition<P>, where: (payload: P, envelope: ReceivedMessage<P>) => boolean = () => true): ReceivedMessage<P>[] {
    return this.received
      .filter((m) => m.routingKey === definition.routingKey)
      .map((m) => m as ReceivedMessage<P>)
      .filter((m) => where(m.payload, m));
  }

  /** Waits for the first message of a contract matching `where`. */
  async next<P>(
    definition: MessageDefinition<P>,
    where: (payload: P, envelope: ReceivedMessage<P>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<ReceivedMessage<P>> {
    return waitFor(`${definition.routingKey} message`, () => this.messages(definition, where)[0], timeoutMs);
  }

  async stop(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
  }
}
