import { routingKeyOf } from '../envelope/envelope.js';

export type MessageKind = 'event' | 'command';

/** Topic exchange for events (facts, past tense). */
export const EVENTS_EXCHANGE = 'skald.events';
/** Topic exchange for commands (imperative, executed by exactly one service). */
export const COMMANDS_EXCHANGE = 'skald.commands';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PayloadClass<P> = new (...args: any[]) => P;

/** A versioned message contract: its routing key, exchange, producer and payload class. */
export interface MessageDefinition<P = unknown> {
  readonly kind: MessageKind;
  readonly type: string;
  readonly version: number;
  readonly routingKey: string;
  readonly exchange: string;
  /** The service that sends it (events) or executes it (commands). */
  readonly owner: string;
  readonly summary: string;
  readonly payload: PayloadClass<P>;
}

export interface DefineMessageOptions<P> {
  type: string;
  version: number;
  owner: string;
  summary: string;
  payload: PayloadClass<P>;
}

const TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * All message contracts known to this process. Contract files register themselves when they
 * are imported; consumers and producers look definitions up by routing key.
 */
export class MessageRegistry {
  private readonly byRoutingKey = new Map<string, MessageDefinition>();

  register<P>(definition: MessageDefinition<P>): MessageDefinition<P> {
    const existing = this.byRoutingKey.get(definition.routingKey);
    if (existing && existing.payload !== definition.payload) {
      throw new Error(`Message contract ${definition.routingKey} is defined twice with different payloads`);
    }
    this.byRoutingKey.set(definition.routingKey, definition as MessageDefinition);
    return definition;
  }

  get(routingKey: string): MessageDefinition | undefined {
    return this.byRoutingKey.get(routingKey);
  }

  all(): MessageDefinition[] {
    return [...this.byRoutingKey.values()].sort((a, b) => a.routingKey.localeCompare(b.routingKey));
  }
}

/** The process-wide registry the `defineEvent`/`defineCommand` helpers write to. */
export const messageRegistry = new MessageRegistry();

function define<P>(kind: MessageKind, options: DefineMessageOptions<P>): MessageDefinition<P> {
  if (!TYPE_PATTERN.test(options.type)) {
    throw new Error(`Message type "${options.type}" must be dot-separated lowercase words`);
  }
  if (!Number.isInteger(options.version) || options.version < 1) {
    throw new Error(`Message ${options.type} needs a positive integer version`);
  }
  return messageRegistry.register<P>(
    Object.freeze({
      kind,
      type: options.type,
      version: options.version,
      routingKey: routingKeyOf(options.type, options.version),
      exchange: kind === 'event' ? EVENTS_EXCHANGE : COMMANDS_EXCHANGE,
      owner: options.owner,
      summary: options.summary,
      payload: options.payload,
    }),
  );
}

/** Defines a versioned event (past tense: `orders.order.placed`). */
export function defineEvent<P>(options: DefineMessageOptions<P>): MessageDefinition<P> {
  return define('event', options);
}

/** Defines a versioned command (imperative: `inventory.reserve-stock`). */
export function defineCommand<P>(options: DefineMessageOptions<P>): MessageDefinition<P> {
  return define('command', options);
}
