import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, GetMessage } from 'amqplib';
import type { AmqpConnection } from '../connection/amqp-connection.js';
import {
  HEADER_ATTEMPT,
  HEADER_DEAD_LETTER_REASON,
  HEADER_DEAD_LETTERED_AT,
  HEADER_ERROR,
  HEADER_LAST_ERROR,
  HEADER_ORIGINAL_ROUTING_KEY,
  HEADER_OUTAGE_RETURNS,
} from '../consumer/message-consumer.js';
import { deadLetterQueueName, mainQueueName } from '../topology/names.js';

export interface DeadLetterSummary {
  messageId: string | undefined;
  routingKey: string;
  reason: string;
  error: string;
  attempts: number;
  deadLetteredAt: string | undefined;
  body: string;
}

// A replayed message starts afresh: no reason, no error, no outage give-backs.
const DEAD_LETTER_HEADERS = [HEADER_DEAD_LETTER_REASON, HEADER_ERROR, HEADER_DEAD_LETTERED_AT, HEADER_LAST_ERROR, HEADER_OUTAGE_RETURNS];

/**
 * Operator access to a service's dead-letter queue: inspect what failed and why, and replay
 * messages into the service's queue (with a fresh attempt count) once the cause is fixed.
 */
export class DeadLetterQueue {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly service: string,
  ) {}

  /** Lists up to `limit` dead letters without removing them. */
  async list(limit = 50): Promise<DeadLetterSummary[]> {
    return this.withChannel(async (channel) => {
      const seen: DeadLetterSummary[] = [];
      for (let i = 0; i < limit; i++) {
        const message = await channel.get(deadLetterQueueName(this.service), { noAck: false });
        if (!message) break;
        seen.push(summarize(message));
      }
      return seen;
    });
  }

  /**
   * Moves dead letters back into the service queue: those with the given message ids, or all
   * when `messageIds` is omitted. Each is published with a confirm before it leaves the DLQ.
   * @returns the ids replayed.
   */
  async replay(messageIds?: string[]): Promise<string[]> {
    const wanted = messageIds ? new Set(messageIds) : undefined;
    return this.withChannel(async (channel) => {
      const replayed: string[] = [];
      for (;;) {
        const message = await channel.get(deadLetterQueueName(this.service), { noAck: false });
        if (!message) break;
        const id = message.properties.messageId as string | undefined;
        if (wanted && (!id || !wanted.has(id))) continue;
        const headers = { ...(message.properties.headers ?? {}) };
        for (const header of DEAD_LETTER_HEADERS) delete headers[header];
        headers[HEADER_ATTEMPT] = 1;
        headers['x-skald-replayed-at'] = new Date().toISOString();
        await channel.sendToQueue(mainQueueName(this.service), message.content, {
          persistent: true,
          contentType: message.properties.contentType,
          messageId: message.properties.messageId,
          correlationId: message.properties.correlationId,
          type: message.properties.type,
          timestamp: message.properties.timestamp,
          headers,
        });
        channel.ack(message);
        replayed.push(id ?? '(no id)');
        if (wanted && replayed.length === wanted.size) break;
      }
      return replayed;
    });
  }

  /** Gets run on one channel; whatever was got and not acked goes back to the DLQ at the end. */
  private async withChannel<T>(work: (channel: ChannelWrapper) => Promise<T>): Promise<T> {
    const channel = this.connection.createChannel({
      name: `${this.service}-dead-letters`,
      confirm: true,
      setup: async (raw: ConfirmChannel) => {
        await raw.checkQueue(deadLetterQueueName(this.service));
      },
    });
    try {
      await channel.waitForConnect();
      const result = await work(channel);
      channel.nackAll(true);
      return result;
    } finally {
      await channel.close();
    }
  }
}

function summarize(message: GetMessage): DeadLetterSummary {
  const headers = message.properties.headers ?? {};
  return {
    messageId: message.properties.messageId as string | undefined,
    routingKey: String(headers[HEADER_ORIGINAL_ROUTING_KEY] ?? message.fields.routingKey),
    reason: String(headers[HEADER_DEAD_LETTER_REASON] ?? 'DELIVERY_LIMIT'),
    error: String(headers[HEADER_ERROR] ?? ''),
    attempts: Number(headers[HEADER_ATTEMPT] ?? headers['x-delivery-count'] ?? 0),
    deadLetteredAt: headers[HEADER_DEAD_LETTERED_AT] as string | undefined,
    body: message.content.toString('utf8'),
  };
}
