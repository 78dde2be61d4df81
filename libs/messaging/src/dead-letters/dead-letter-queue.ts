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

/** A message in a service's dead-letter queue, as read from its properties and headers. */
export interface DeadLetterSummary {
  messageId: string | undefined;
  correlationId: string | undefined;
  routingKey: string;
  /** The consumer's reason, or DELIVERY_LIMIT for a message the broker dead-lettered itself. */
  reason: string;
  error: string;
  attempts: number;
  deadLetteredAt: string | undefined;
  headers: Record<string, unknown>;
  body: string;
}

/** The header a replayed message carries: when it was put back. */
export const HEADER_REPLAYED_AT = 'x-skald-replayed-at';

// A replayed message starts afresh: no reason, no error, no outage give-backs.
const DEAD_LETTER_HEADERS = [HEADER_DEAD_LETTER_REASON, HEADER_ERROR, HEADER_DEAD_LETTERED_AT, HEADER_LAST_ERROR, HEADER_OUTAGE_RETURNS];

/** Called before a dead letter is replayed; returns how to undo it should the replay fail. */
export type BeforeReplay = (letter: DeadLetterSummary) => Promise<(() => Promise<void>) | void>;

/**
 * Operator access to a service's dead-letter queue: read what failed and why, replay messages
 * into the service's queue (original message id and headers, a fresh attempt count) once the
 * cause is fixed, or drop them.
 *
 * Every operation reads the queue with basic.get and settles what it got on one channel: a message
 * it does not take stays unacked while the operation runs (no other reader sees it twice) and goes
 * back to the queue at the end. An operation reads at most the messages the queue held when it
 * started, so a replayed message that fails again and comes back to the queue's tail is not read
 * (nor replayed) again in the same run.
 */
export class DeadLetterQueue {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly service: string,
  ) {}

  /** Messages in the dead-letter queue now (those another reader holds unacked excepted). */
  async depth(): Promise<number> {
    return this.withChannel(async (channel) => (await channel.checkQueue(deadLetterQueueName(this.service))).messageCount);
  }

  /** Lists up to `limit` dead letters without removing them, oldest first. */
  async list(limit = 50): Promise<DeadLetterSummary[]> {
    const seen: DeadLetterSummary[] = [];
    await this.scan(async (_message, letter) => {
      seen.push(letter);
      return seen.length >= limit ? 'stop' : 'keep';
    });
    return seen;
  }

  /** The dead letter with this message id, left in the queue; undefined when it is not there. */
  async find(messageId: string): Promise<DeadLetterSummary | undefined> {
    let found: DeadLetterSummary | undefined;
    await this.scan(async (_message, letter) => {
      if (letter.messageId !== messageId) return 'keep';
      found = letter;
      return 'stop';
    });
    return found;
  }

  /**
   * Moves dead letters back into the service queue: those with the given message ids, or all
   * when `messageIds` is omitted.
   * @returns the ids replayed.
   */
  async replay(messageIds?: string[]): Promise<string[]> {
    const wanted = messageIds ? new Set(messageIds) : undefined;
    const replayed = await this.replayWhere((letter) => !wanted || (letter.messageId !== undefined && wanted.has(letter.messageId)));
    return replayed.map((letter) => letter.messageId ?? '(no id)');
  }

  /**
   * Replays every dead letter `select` picks, each message id once: published to the service
   * queue with its original message id, correlation id and headers (attempt 1, the dead-letter
   * headers removed) and a broker confirm, then acked on the dead-letter queue. `before` runs
   * first (to record the replay); should the publish fail, its undo runs and the error is thrown,
   * the message staying in the dead-letter queue.
   * @returns the letters replayed, in queue order.
   */
  async replayWhere(select: (letter: DeadLetterSummary) => boolean, before?: BeforeReplay): Promise<DeadLetterSummary[]> {
    const replayed: DeadLetterSummary[] = [];
    const ids = new Set<string>();
    await this.scan(async (message, letter, channel) => {
      if (!select(letter)) return 'keep';
      // A second copy of a message already put back in this run (the inbox would drop it anyway).
      if (letter.messageId && ids.has(letter.messageId)) return 'keep';
      const undo = await before?.(letter);
      try {
        await channel.sendToQueue(mainQueueName(this.service), message.content, {
          persistent: true,
          contentType: message.properties.contentType,
          messageId: message.properties.messageId,
          correlationId: message.properties.correlationId,
          type: message.properties.type,
          timestamp: message.properties.timestamp,
          headers: replayHeaders(message),
        });
      } catch (error) {
        await undo?.();
        throw error;
      }
      if (letter.messageId) ids.add(letter.messageId);
      replayed.push(letter);
      return 'ack';
    });
    return replayed;
  }

  /**
   * Removes the dead letter with this message id (every copy of it) from the queue. `before` runs
   * first, once (to record the discard); should it fail, nothing is removed.
   * @returns the letter removed, or undefined when it is not in the queue.
   */
  async discard(messageId: string, before?: (letter: DeadLetterSummary) => Promise<void>): Promise<DeadLetterSummary | undefined> {
    let removed: DeadLetterSummary | undefined;
    await this.scan(async (_message, letter) => {
      if (letter.messageId !== messageId) return 'keep';
      if (!removed) await before?.(letter);
      removed ??= letter;
      return 'ack';
    });
    return removed;
  }

  /**
   * Reads the messages the queue holds now, at most as many as it held at the start, and settles
   * each as `visit` says: `ack` removes it, `keep` leaves it, `stop` leaves it and ends the scan.
   * Everything kept goes back to the queue when the scan ends.
   */
  private async scan(
    visit: (message: GetMessage, letter: DeadLetterSummary, channel: ChannelWrapper) => Promise<'ack' | 'keep' | 'stop'>,
  ): Promise<void> {
    const queue = deadLetterQueueName(this.service);
    await this.withChannel(async (channel) => {
      const { messageCount } = await channel.checkQueue(queue);
      for (let read = 0; read < messageCount; read++) {
        const message = await channel.get(queue, { noAck: false });
        if (!message) break;
        const outcome = await visit(message, summarize(message), channel);
        if (outcome === 'ack') channel.ack(message);
        if (outcome === 'stop') break;
      }
    });
  }

  /** Runs on one confirm channel; whatever was got and not acked goes back to the DLQ at the end. */
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

function replayHeaders(message: GetMessage): Record<string, unknown> {
  const headers = { ...(message.properties.headers ?? {}) };
  for (const header of DEAD_LETTER_HEADERS) delete headers[header];
  headers[HEADER_ATTEMPT] = 1;
  headers[HEADER_REPLAYED_AT] = new Date().toISOString();
  return headers;
}

/** What the broker adds to a message it dead-letters itself (the first entry: the latest death). */
interface XDeath {
  'routing-keys'?: unknown[];
  time?: unknown;
  count?: unknown;
}

function summarize(message: GetMessage): DeadLetterSummary {
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const death = (Array.isArray(headers['x-death']) ? headers['x-death'][0] : undefined) as XDeath | undefined;
  const brokerRoutingKey = death?.['routing-keys']?.[0];
  return {
    messageId: message.properties.messageId as string | undefined,
    correlationId: message.properties.correlationId as string | undefined,
    routingKey: String(headers[HEADER_ORIGINAL_ROUTING_KEY] ?? brokerRoutingKey ?? message.fields.routingKey),
    reason: String(headers[HEADER_DEAD_LETTER_REASON] ?? 'DELIVERY_LIMIT'),
    error: String(headers[HEADER_ERROR] ?? ''),
    attempts: Number(headers[HEADER_ATTEMPT] ?? headers['x-delivery-count'] ?? death?.count ?? 0) || 0,
    deadLetteredAt: (headers[HEADER_DEAD_LETTERED_AT] as string | undefined) ?? brokerTime(death?.time),
    headers,
    body: message.content.toString('utf8'),
  };
}

/** An AMQP timestamp as amqplib decodes it (seconds since the epoch). */
function brokerTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (value instanceof Date) return value.toISOString();
  return undefined;
}
