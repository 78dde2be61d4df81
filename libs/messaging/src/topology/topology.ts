import type { Channel } from 'amqplib';
import { COMMANDS_EXCHANGE, EVENTS_EXCHANGE } from '@skald/contracts';
import {
  deadLetterQueueName,
  mainQueueName,
  retryQueueName,
  UNROUTED_EVENTS_EXCHANGE,
  UNROUTED_EVENTS_QUEUE,
  UNROUTED_EVENTS_TTL_MS,
  UNROUTED_EXCHANGE,
  UNROUTED_QUEUE,
} from './names.js';

export interface Binding {
  exchange: string;
  routingKey: string;
}

export interface ServiceTopology {
  service: string;
  bindings: Binding[];
  retryDelaysMs: number[];
  /**
   * Broker-side guard against crash loops: a message redelivered this many times (the consumer
   * died each time before it could ack) is dead-lettered by RabbitMQ itself.
   */
  deliveryLimit: number;
}

const QUORUM = { 'x-queue-type': 'quorum' } as const;
// Dead-lettering out of a quorum queue is at-most-once unless asked otherwise.
const AT_LEAST_ONCE = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } as const;

/**
 * Declares the shared exchanges. Idempotent; every producer and consumer runs it on connect.
 * Both topic exchanges have an alternate exchange, so the broker keeps what no queue is bound to
 * instead of dropping it. An alternate exchange is a declare argument: a broker where `skald.events`
 * was declared without it refuses this declaration (PRECONDITION_FAILED) until the exchange is
 * deleted once (upgrade step in ADR 0002).
 */
export async function assertExchanges(channel: Channel): Promise<void> {
  await channel.assertExchange(UNROUTED_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(UNROUTED_QUEUE, { durable: true, arguments: { ...QUORUM } });
  await channel.bindQueue(UNROUTED_QUEUE, UNROUTED_EXCHANGE, '');
  await channel.assertExchange(UNROUTED_EVENTS_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(UNROUTED_EVENTS_QUEUE, {
    durable: true,
    arguments: { ...QUORUM, 'x-message-ttl': UNROUTED_EVENTS_TTL_MS },
  });
  await channel.bindQueue(UNROUTED_EVENTS_QUEUE, UNROUTED_EVENTS_EXCHANGE, '');
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true, alternateExchange: UNROUTED_EVENTS_EXCHANGE });
  await channel.assertExchange(COMMANDS_EXCHANGE, 'topic', {
    durable: true,
    alternateExchange: UNROUTED_EXCHANGE,
  });
}

/**
 * Declares a service's queues and bindings: the main quorum queue bound to the routing keys of
 * its handlers, one delayed-retry queue per configured delay (TTL, then dead-lettered straight
 * back into the main queue through the default exchange), and the dead-letter queue.
 * Idempotent: safe on every start and reconnect, from every replica.
 */
export async function assertServiceTopology(channel: Channel, topology: ServiceTopology): Promise<void> {
  const main = mainQueueName(topology.service);
  const dlq = deadLetterQueueName(topology.service);
  await assertExchanges(channel);
  await channel.assertQueue(dlq, { durable: true, arguments: { ...QUORUM } });
  await channel.assertQueue(main, {
    durable: true,
    arguments: {
      ...QUORUM,
      ...AT_LEAST_ONCE,
      'x-delivery-limit': topology.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': dlq,
    },
  });
  for (const delay of topology.retryDelaysMs) {
    await channel.assertQueue(retryQueueName(topology.service, delay), {
      durable: true,
      arguments: {
        ...QUORUM,
        ...AT_LEAST_ONCE,
        'x-message-ttl': delay,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': main,
      },
    });
  }
  for (const binding of topology.bindings) {
    await channel.bindQueue(main, binding.exchange, binding.routingKey);
  }
}
