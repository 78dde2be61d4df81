import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { context, isSpanContextValid, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  errorCodeOf,
  isRetryable,
  messageRegistry,
  routingKeyOf,
  validateAgainst,
  validateEnvelope,
  type MessageDefinition,
  type MessageEnvelope,
  type MessageRegistry,
} from '@skald/contracts';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { DataSource } from 'typeorm';
import type { AmqpConnection } from '../connection/amqp-connection.js';
import { runInExecutionContext } from '../context/execution-context.js';
import { envelopeIdsOf, traceIdOf } from '../dead-letters/dead-letter-facts.js';
import { DeadLetterRecords } from '../dead-letters/dead-letter-records.js';
import { Inbox } from '../inbox/inbox.js';
import { messagingMetrics, type ConsumeOutcome } from '../metrics/messaging-metrics.js';
import { Outbox } from '../outbox/outbox.js';
import { traceIdOfTraceparent } from '../timeline/messaging-timeline-source.js';
import { extractTraceContext, messagingTracer } from '../tracing/message-tracing.js';
import { deadLetterQueueName, mainQueueName, retryQueueName } from '../topology/names.js';
import { assertServiceTopology, type ServiceTopology } from '../topology/topology.js';
import { AckBatcher } from './ack-batcher.js';
import { isInfrastructureFailure } from './infrastructure-failure.js';
import { MessageContext } from './message-context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MessageHandlerFn = (payload: any, context: MessageContext) => unknown;

export interface MessageConsumerOptions {
  service: string;
  connection: AmqpConnection;
  dataSource: DataSource;
  outbox?: Outbox;
  registry?: MessageRegistry;
  /** Delay before each retry; attempts = delays + 1. */
  retryDelaysMs?: number[];
  /** Messages handled concurrently (AMQP prefetch). */
  prefetch?: number;
  deliveryLimit?: number;
  publishTimeoutMs?: number;
  /**
   * While paused by a database outage, the database is probed (`SELECT 1`) after `initial` ms,
   * then at doubling intervals up to `max` ms. Default 500 ms → 10 s.
   */
  outageProbeDelayMs?: { initial: number; max: number };
  /**
   * A message given back this many times in a row because of an outage, while the database kept
   * answering the probe, is taken to cause the "outage" itself (a handler that kills its own
   * connection): its next such failure uses an attempt. Default 10.
   */
  maxOutageReturns?: number;
}

/** The channel the consumer consumes on; `consumerTag` is unset while paused. */
interface ActiveChannel {
  channel: Channel;
  acks: AckBatcher;
  consumerTag?: string;
}

/** Why a message was dead-lettered; the `x-skald-dead-letter-reason` header. */
export type DeadLetterReason =
  | 'INVALID_ENVELOPE'
  | 'INVALID_PAYLOAD'
  | 'NO_HANDLER'
  | 'NON_RETRYABLE_ERROR'
  | 'RETRIES_EXHAUSTED';

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 10_000, 60_000, 300_000];

export const HEADER_ATTEMPT = 'x-skald-attempt';
export const HEADER_LAST_ERROR = 'x-skald-last-error';
export const HEADER_DEAD_LETTER_REASON = 'x-skald-dead-letter-reason';
export const HEADER_ERROR = 'x-skald-error';
export const HEADER_DEAD_LETTERED_AT = 'x-skald-dead-lettered-at';
export const HEADER_ORIGINAL_ROUTING_KEY = 'x-skald-original-routing-key';
/** How often in a row a message was given back to its queue because of an outage. */
export const HEADER_OUTAGE_RETURNS = 'x-skald-outage-returns';

// Headers the broker owns; copying them into a republished message would be a lie.
const BROKER_HEADERS = /^x-(death|first-death-|last-death-|delivery-count)/;

interface RegisteredHandler {
  definition: MessageDefinition;
  handle: MessageHandlerFn;
  /** Its name for the inbox record and the saga timeline (`Class.method`), when known. */
  name?: string;
  /** Which payloads it acts on (OnMessage's `handles`); the others are acked without a transaction. */
  handles?: (payload: object) => boolean;
}

class DeadLetter {
  constructor(
    readonly reason: DeadLetterReason,
    readonly detail: string,
  ) {}
}

/**
 * Consumes the service's quorum queue. For each message: validate the envelope and payload, run
 * the handler in a database transaction together with the inbox record, commit, then ack.
 * A failing handler is retried through the delayed-retry queues; after the last attempt, or at
 * once for an invalid message or a non-retryable error, the message goes to the dead-letter
 * queue with the reason, and the consumer goes on.
 *
 * An outage is not the message's fault: when a handler fails because the database is unreachable
 * (see `isInfrastructureFailure`), the consumer pauses. It cancels its subscription, so the broker
 * keeps every other message in the queue untouched, and gives the failed and still-arriving
 * deliveries back to the queue as copies with their attempt count unchanged (a copy, not a
 * requeue: a quorum queue counts a requeue towards `x-delivery-limit`). It then probes the
 * database with back-off and subscribes again when it answers. An outage of any length uses up no
 * attempt and dead-letters nothing.
 *
 * Emits `committed` (envelope) after a handler's transaction commits and before the ack,
 * `ignored` (envelope) when a message was acked unhandled because its handler's `handles` said no,
 * `dead-lettered` (reason, detail), `paused` (detail), `probe-failed` (error) and `resumed` —
 * hooks for metrics and for tests.
 */
export class MessageConsumer extends EventEmitter {
  private readonly logger = new Logger('MessageConsumer');
  private readonly handlers = new Map<string, RegisteredHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inbox = new Inbox();
  private readonly deadLetters: DeadLetterRecords;
  private readonly outbox: Outbox;
  private readonly registry: MessageRegistry;
  private readonly retryDelaysMs: number[];
  private readonly metrics = messagingMetrics();
  private consumeChannel?: ChannelWrapper;
  private publishChannel?: ChannelWrapper;
  private active?: ActiveChannel;
  private stopping = false;
  private stopped?: Promise<void>;
  private pausedSince?: Date;
  private probing?: Promise<void>;
  private wakeProbe?: () => void;

  constructor(private readonly options: MessageConsumerOptions) {
    super();
    this.outbox = options.outbox ?? new Outbox();
    this.registry = options.registry ?? messageRegistry;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.deadLetters = new DeadLetterRecords(options.dataSource);
  }

  get queue(): string {
    return mainQueueName(this.options.service);
  }

  /**
   * Registers the handler of a routing key (`name`: `Class.method`, recorded in the inbox); the key
   * must name a known contract. A message whose payload `handles` answers false for is acked with
   * no transaction and no inbox record (OnMessageOptions.handles).
   */
  addHandler(routingKey: string, handle: MessageHandlerFn, name?: string, handles?: (payload: object) => boolean): void {
    const definition = this.registry.get(routingKey);
    if (!definition) {
      throw new Error(`No message contract for handler pattern "${routingKey}" (import its contract from @skald/contracts)`);
    }
    if (this.handlers.has(routingKey)) {
      throw new Error(`Two handlers for ${routingKey} in ${this.options.service}`);
    }
    this.handlers.set(routingKey, { definition, handle, name, handles });
  }

  get routingKeys(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Declares the topology and starts consuming as soon as the broker is reachable. Does not wait
   * for the broker: a service keeps serving (and writing its outbox) while the broker is away.
   */
  start(): void {
    const topology: ServiceTopology = {
      service: this.options.service,
      bindings: [...this.handlers.values()].map(({ definition }) => ({
        exchange: definition.exchange,
        routingKey: definition.routingKey,
      })),
      retryDelaysMs: this.retryDelaysMs,
      deliveryLimit: this.options.deliveryLimit ?? 20,
    };
    this.stopping = false;
    this.stopped = undefined;
    this.pausedSince = undefined;
    this.publishChannel = this.options.connection.createChannel({
      name: `${this.options.service}-retry-publisher`,
      confirm: true,
      publishTimeout: this.options.publishTimeoutMs ?? 10_000,
      setup: (channel: ConfirmChannel) => assertServiceTopology(channel, topology),
    });
    this.consumeChannel = this.options.connection.createChannel({
      name: `${this.options.service}-consumer`,
      setup: async (channel: Channel) => {
        await assertServiceTopology(channel, topology);
        if (this.stopping || this.handlers.size === 0) return;
        await channel.prefetch(this.options.prefetch ?? 16);
        const active: ActiveChannel = { channel, acks: new AckBatcher(channel) };
        this.active = active;
        // Paused by a database outage: the probe subscribes on this channel once the database is back.
        if (!this.paused) await this.subscribe(active);
      },
    });
  }

  /** True while a database outage keeps the consumer from taking messages. */
  get paused(): boolean {
    return this.pausedSince !== undefined;
  }

  private async subscribe(active: ActiveChannel): Promise<void> {
    const { consumerTag } = await active.channel.consume(this.queue, (message) => this.onDelivery(active.acks, message));
    active.consumerTag = consumerTag;
    // Paused (or stopping) while the subscription was being made: take it back at once.
    if (this.paused || this.stopping) await this.unsubscribe(active);
  }

  private async unsubscribe(active: ActiveChannel): Promise<void> {
    const tag = active.consumerTag;
    if (!tag) return;
    active.consumerTag = undefined;
    await active.channel.cancel(tag).catch(() => undefined);
  }

  /** Resolves once the topology is declared and consumption has begun. */
  async waitUntilConsuming(): Promise<void> {
    await this.consumeChannel?.waitForConnect();
    await this.publishChannel?.waitForConnect();
  }

  /**
   * Graceful stop: no new deliveries, in-flight handlers finish (commit and ack), then the
   * channels close. Whatever is still unacked after `timeoutMs` is redelivered by the broker.
   */
  stop(timeoutMs = 30_000): Promise<void> {
    this.stopped ??= this.drainAndClose(timeoutMs);
    return this.stopped;
  }

  private async drainAndClose(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.wakeProbe?.();
    const active = this.active;
    this.active = undefined;
    if (active) await this.unsubscribe(active);
    await this.probing;
    // The broker has taken the cancel: from here on nothing new starts (a late delivery is requeued).
    this.logger.log(`${this.queue}: taking no more messages, ${this.inFlight.size} in flight to finish`);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    // Not lost: closing the channel gives their deliveries back, and the inbox absorbs the effect
    // of one that still commits. But on-call should know the drain was cut short.
    if (!drained) this.logger.warn(`${this.inFlight.size} message(s) still in flight after ${timeoutMs} ms: given back to ${this.queue}`);
    // The finished handlers' acks are batched for the next turn: send them before the channel goes.
    active?.acks.flush();
    await this.consumeChannel?.close();
    await this.publishChannel?.close();
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private onDelivery(acks: AckBatcher, message: ConsumeMessage | null): void {
    if (message === null) {
      this.logger.error(`broker cancelled the consumer of ${this.queue} (queue deleted?)`);
      return;
    }
    acks.delivered(message);
    if (this.stopping) {
      this.settle(acks, message, 'nack');
      return;
    }
    // Delivered before the broker took the cancel of a pause: back to the queue, unhandled.
    const work: Promise<void> = (this.paused ? this.giveBack(acks, message) : this.process(acks, message))
      .catch((error: Error) => this.logger.error(`message ${message.properties.messageId} not settled: ${error.message}`))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async process(acks: AckBatcher, message: ConsumeMessage): Promise<void> {
    const started = performance.now();
    const attempt = attemptOf(message);
    let envelope: MessageEnvelope<object>;
    let handler: RegisteredHandler;
    try {
      ({ envelope, handler } = this.accept(message));
    } catch (error) {
      if (!(error instanceof DeadLetter)) throw error;
      await this.deadLetter(acks, message, error.reason, error.detail, attempt);
      return;
    }
    const routingKey = handler.definition.routingKey;
    let wanted: boolean;
    try {
      wanted = handler.handles?.(envelope.payload) ?? true;
    } catch (error) {
      // A predicate that throws is a handler failure like any other: retried, then dead-lettered.
      await this.handleFailure(acks, message, routingKey, error, attempt);
      return;
    }
    if (!wanted) {
      // Nothing the handler would do: no transaction, no inbox record (an effect-free message needs no deduplication).
      this.settle(acks, message, 'ack');
      this.metrics.consumed.labels(this.options.service, routingKey, 'ignored').inc();
      this.emit('ignored', envelope);
      return;
    }
    const parent = extractTraceContext(message.properties.headers);
    try {
      const outcome = await context.with(parent, () =>
        runInExecutionContext(
          {
            correlationId: envelope.correlationId,
            messageId: envelope.id,
            causationId: envelope.causationId,
            tenantId: envelope.tenantId,
            routingKey,
          },
          () => this.runHandler(handler, envelope, attempt, message.properties.headers?.traceparent),
        ),
      );
      this.emit('committed', envelope);
      this.settle(acks, message, 'ack');
      this.metrics.consumed.labels(this.options.service, routingKey, outcome).inc();
      this.metrics.handlerSeconds.labels(this.options.service, routingKey).observe((performance.now() - started) / 1000);
    } catch (error) {
      const returns = outageReturnsOf(message);
      if (isInfrastructureFailure(error) && returns < (this.options.maxOutageReturns ?? 10)) {
        this.pause(error);
        await this.giveBack(acks, message, returns + 1);
        return;
      }
      // Not an outage, or one this message met on every delivery: a failed attempt, never an endless loop.
      await this.handleFailure(acks, message, routingKey, error, attempt);
    }
  }

  /**
   * Stops taking messages until the database answers again. The subscription is cancelled (the
   * broker keeps the queue's messages as they are: no redelivery, no delivery count) and a probe
   * with back-off subscribes again once `SELECT 1` succeeds.
   */
  private pause(cause: unknown): void {
    if (this.paused || this.stopping) return;
    this.pausedSince = new Date();
    const detail = cause instanceof Error ? cause.message : String(cause);
    this.logger.warn(`${this.queue}: database unreachable, taking no messages until it answers (${detail})`);
    this.metrics.consumerPaused.labels(this.options.service).set(1);
    this.emit('paused', detail);
    if (this.active) void this.unsubscribe(this.active);
    this.probing = this.probeUntilBack().finally(() => {
      this.probing = undefined;
    });
  }

  private async probeUntilBack(): Promise<void> {
    const { initial, max } = this.options.outageProbeDelayMs ?? { initial: 500, max: 10_000 };
    let delay = initial;
    for (;;) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeProbe = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeProbe = undefined;
      if (this.stopping) return;
      try {
        await this.options.dataSource.query('SELECT 1');
        break;
      } catch (error) {
        this.emit('probe-failed', error);
        delay = Math.min(delay * 2, max);
      }
    }
    const pausedForMs = Date.now() - (this.pausedSince?.getTime() ?? Date.now());
    this.pausedSince = undefined;
    this.metrics.consumerPaused.labels(this.options.service).set(0);
    this.logger.log(`${this.queue}: database answers again after ${pausedForMs} ms, taking messages`);
    const active = this.active;
    if (active && !active.consumerTag) {
      // A channel that broke meanwhile subscribes in its setup when it is re-created.
      await this.subscribe(active).catch((error: Error) => this.logger.warn(`${this.queue}: cannot subscribe yet: ${error.message}`));
    }
    this.emit('resumed');
  }

  /**
   * Gives a delivery back to the queue without using up an attempt: a copy with the same headers
   * (attempt included) goes to the queue's tail, then the delivery is acked. A requeue would be
   * counted by the quorum queue towards its delivery limit and dead-letter the message after enough
   * outages. Should the copy not be confirmed, the delivery is requeued after all.
   */
  private async giveBack(acks: AckBatcher, message: ConsumeMessage, returns = outageReturnsOf(message)): Promise<void> {
    const copied = await this.republish(this.queue, message, { [HEADER_OUTAGE_RETURNS]: returns });
    this.settle(acks, message, copied ? 'ack' : 'nack');
    this.metrics.consumed.labels(this.options.service, originalRoutingKey(message), copied ? 'returned' : 'requeued').inc();
  }

  /** Parses and validates; throws DeadLetter for anything no retry can fix. */
  private accept(message: ConsumeMessage): { envelope: MessageEnvelope<object>; handler: RegisteredHandler } {
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch {
      throw new DeadLetter('INVALID_ENVELOPE', 'body is not JSON');
    }
    const checked = validateEnvelope(body);
    if (!checked.ok) throw new DeadLetter('INVALID_ENVELOPE', checked.errors.join('; '));
    const routingKey = routingKeyOf(checked.value.type, checked.value.version);
    const handler = this.handlers.get(routingKey);
    if (!handler) throw new DeadLetter('NO_HANDLER', `${this.options.service} has no handler for ${routingKey}`);
    const payload = validateAgainst(handler.definition.payload as new () => object, checked.value.payload);
    if (!payload.ok) throw new DeadLetter('INVALID_PAYLOAD', `${routingKey}: ${payload.errors.join('; ')}`);
    return { envelope: { ...checked.value, payload: payload.value }, handler };
  }

  private runHandler(handler: RegisteredHandler, envelope: MessageEnvelope<object>, attempt: number, traceparent: unknown): Promise<ConsumeOutcome> {
    return messagingTracer().startActiveSpan(
      `${handler.definition.routingKey} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': this.queue,
          'messaging.message.id': envelope.id,
          'messaging.message.conversation_id': envelope.correlationId,
        },
      },
      async (span) => {
        try {
          // Without a started SDK the span is a non-recording one carrying the incoming traceparent's
          // ids; without propagation installed (a bare consumer) the header itself still tells.
          const spanContext = span.spanContext();
          const traceId = isSpanContextValid(spanContext) ? spanContext.traceId : traceIdOfTraceparent(typeof traceparent === 'string' ? traceparent : undefined);
          const facts = { handler: handler.name, attempt, traceId };
          const done = await this.inbox.within(
            this.options.dataSource,
            envelope,
            handler.definition.routingKey,
            async (manager) => {
              await handler.handle(envelope.payload, new MessageContext(envelope, manager, attempt, this.outbox));
            },
            facts,
          );
          return done.fresh ? ('processed' as const) : ('duplicate' as const);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodeOf(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async handleFailure(
    acks: AckBatcher,
    message: ConsumeMessage,
    routingKey: string,
    error: unknown,
    attempt: number,
  ): Promise<void> {
    const detail = `${errorCodeOf(error)}: ${error instanceof Error ? error.message : String(error)}`;
    if (!isRetryable(error)) {
      await this.deadLetter(acks, message, 'NON_RETRYABLE_ERROR', detail, attempt);
      return;
    }
    if (attempt > this.retryDelaysMs.length) {
      await this.deadLetter(acks, message, 'RETRIES_EXHAUSTED', detail, attempt);
      return;
    }
    const delay = this.retryDelaysMs[attempt - 1];
    this.logger.warn(`${routingKey} ${message.properties.messageId} failed (attempt ${attempt}), retry in ${delay} ms: ${detail}`);
    const republished = await this.republish(retryQueueName(this.options.service, delay), message, {
      [HEADER_ATTEMPT]: attempt + 1,
      [HEADER_OUTAGE_RETURNS]: 0,
      [HEADER_LAST_ERROR]: truncate(detail),
    });
    this.settle(acks, message, republished ? 'ack' : 'nack');
    this.metrics.consumed.labels(this.options.service, routingKey, republished ? 'retried' : 'requeued').inc();
  }

  private async deadLetter(
    acks: AckBatcher,
    message: ConsumeMessage,
    reason: DeadLetterReason,
    detail: string,
    attempt: number,
  ): Promise<void> {
    const deadLetteredAt = new Date().toISOString();
    if (!(await this.recordDeadLetter(message, reason, detail, attempt, deadLetteredAt))) {
      // The database is down: an outage, not the message's fault. Nothing is dead-lettered for it.
      await this.giveBack(acks, message, outageReturnsOf(message) + 1);
      return;
    }
    this.logger.error(`dead-lettering ${message.properties.messageId ?? '(no id)'} after ${attempt} attempt(s): ${reason} ${detail}`);
    const republished = await this.republish(deadLetterQueueName(this.options.service), message, {
      [HEADER_ATTEMPT]: attempt,
      [HEADER_DEAD_LETTER_REASON]: reason,
      [HEADER_ERROR]: truncate(detail),
      [HEADER_DEAD_LETTERED_AT]: deadLetteredAt,
      [HEADER_ORIGINAL_ROUTING_KEY]: originalRoutingKey(message),
    });
    this.settle(acks, message, republished ? 'ack' : 'nack');
    this.metrics.consumed
      .labels(this.options.service, originalRoutingKey(message), republished ? 'dead_lettered' : 'requeued')
      .inc();
    if (republished) this.emit('dead-lettered', { reason, detail, messageId: message.properties.messageId });
  }

  /**
   * Records the dead letter in the service database (`dead_letter`), before it goes to the queue,
   * so that on-call finds why and can follow what becomes of it.
   * @returns false when the database is unreachable: the consumer has paused, and the message must
   *          not be dead-lettered. Any other failure to record is logged and the message is
   *          dead-lettered all the same: a record never keeps a message cycling.
   */
  private async recordDeadLetter(message: ConsumeMessage, reason: DeadLetterReason, detail: string, attempt: number, deadLetteredAt: string): Promise<boolean> {
    const messageId = message.properties.messageId;
    // Without an id nobody can address it (nor replay it by id): nothing to record.
    if (typeof messageId !== 'string' || messageId.length === 0) return true;
    const ids = envelopeIdsOf(message.content);
    try {
      await this.deadLetters.deadLettered({
        messageId,
        routingKey: originalRoutingKey(message),
        correlationId: ids.correlationId ?? (message.properties.correlationId as string | undefined),
        tenantId: ids.tenantId,
        reason,
        error: truncate(detail),
        attempts: attempt,
        deadLetteredAt,
        traceId: traceIdOf(message.properties.headers),
      });
      return true;
    } catch (error) {
      if (isInfrastructureFailure(error)) {
        this.pause(error);
        return false;
      }
      this.logger.error(`cannot record dead letter ${messageId}, dead-lettering it unrecorded: ${(error as Error).message}`);
      return true;
    }
  }

  /** Copies a message into a queue with a broker confirm; false when the broker did not confirm. */
  private async republish(queue: string, message: ConsumeMessage, extraHeaders: Record<string, unknown>): Promise<boolean> {
    const headers = Object.fromEntries(
      Object.entries(message.properties.headers ?? {}).filter(([key]) => !BROKER_HEADERS.test(key)),
    );
    const properties: Options.Publish = {
      persistent: true,
      contentType: message.properties.contentType,
      messageId: message.properties.messageId,
      correlationId: message.properties.correlationId,
      type: message.properties.type,
      timestamp: message.properties.timestamp,
      headers: { ...headers, [HEADER_ORIGINAL_ROUTING_KEY]: originalRoutingKey(message), ...extraHeaders },
    };
    try {
      if (!this.publishChannel) throw new Error('consumer not started');
      await this.publishChannel.sendToQueue(queue, message.content, properties);
      return true;
    } catch (error) {
      this.logger.warn(`cannot move message to ${queue}, it will be redelivered: ${(error as Error).message}`);
      return false;
    }
  }

  /** Acks (batched) or requeues on the channel that delivered the message. */
  private settle(acks: AckBatcher, message: ConsumeMessage, how: 'ack' | 'nack'): void {
    if (how === 'ack') acks.ack(message);
    else acks.nack(message);
  }
}

function outageReturnsOf(message: ConsumeMessage): number {
  const value = Number(message.properties.headers?.[HEADER_OUTAGE_RETURNS] ?? 0);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

function attemptOf(message: ConsumeMessage): number {
  const value = Number(message.properties.headers?.[HEADER_ATTEMPT] ?? 1);
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

/** A retried message comes back through the default exchange; its first routing key is kept in a header. */
function originalRoutingKey(message: ConsumeMessage): string {
  const kept = message.properties.headers?.[HEADER_ORIGINAL_ROUTING_KEY];
  return typeof kept === 'string' ? kept : message.fields.routingKey;
}

function truncate(text: string, max = 2_000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
