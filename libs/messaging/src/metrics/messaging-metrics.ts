import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';

/** `returned`: given back to the queue, no attempt used, because the database was unreachable. */
export type ConsumeOutcome = 'processed' | 'duplicate' | 'ignored' | 'retried' | 'dead_lettered' | 'requeued' | 'returned';

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** The messaging platform's Prometheus metrics, registered once per process. */
export function messagingMetrics(registry: Registry = register) {
  return {
    consumed: getOrCreate(
      registry,
      'skald_messages_consumed_total',
      () =>
        new Counter({
          name: 'skald_messages_consumed_total',
          help: 'Messages taken off the service queue, by routing key and outcome',
          labelNames: ['service', 'routing_key', 'outcome'],
          registers: [registry],
        }),
    ),
    handlerSeconds: getOrCreate(
      registry,
      'skald_message_handler_seconds',
      () =>
        new Histogram({
          name: 'skald_message_handler_seconds',
          help: 'Time from delivery to commit of a message handler, in seconds',
          labelNames: ['service', 'routing_key'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers: [registry],
        }),
    ),
    published: getOrCreate(
      registry,
      'skald_outbox_published_total',
      () =>
        new Counter({
          name: 'skald_outbox_published_total',
          help: 'Outbox messages published with a broker confirm',
          labelNames: ['service'],
          registers: [registry],
        }),
    ),
    publishFailures: getOrCreate(
      registry,
      'skald_outbox_publish_failures_total',
      () =>
        new Counter({
          name: 'skald_outbox_publish_failures_total',
          help: 'Outbox publishes that were not confirmed and will be retried',
          labelNames: ['service'],
          registers: [registry],
        }),
    ),
    consumerPaused: getOrCreate(
      registry,
      'skald_consumer_paused',
      () =>
        new Gauge({
          name: 'skald_consumer_paused',
          help: '1 while the consumer takes no messages because its database is unreachable',
          labelNames: ['service'],
          registers: [registry],
        }),
    ),
    brokerConnected: getOrCreate(
      registry,
      'skald_broker_connected',
      () =>
        new Gauge({
          name: 'skald_broker_connected',
          help: '1 while the service holds a broker connection',
          labelNames: ['service'],
          registers: [registry],
        }),
    ),
  };
}
