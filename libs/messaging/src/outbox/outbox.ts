import { SkaldError, validateAgainst, type MessageDefinition, type MessageEnvelope } from '@skald/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { createEnvelope, type EnvelopeMeta } from '../envelope/create-envelope.js';
import { publishTraceHeaders } from '../tracing/message-tracing.js';
import { TransactionOutbox } from './transaction-outbox.js';

/** The channel relays LISTEN on; a NOTIFY is delivered when (and only if) the writer commits. */
export const OUTBOX_CHANNEL = 'skald_outbox';

/** A message as written to the outbox, as the relay publishes it. */
export interface OutboxRecord {
  id: string;
  exchange: string;
  routingKey: string;
  /** The envelope's JSON, published byte for byte. */
  body: string;
  headers: Record<string, string>;
  correlationId: string;
}

/** A relay running in this process, which publishes a transaction's messages the moment it commits. */
export interface LocalRelay {
  /** How long a written row is reserved for the local relay before any relay may claim it. */
  readonly leaseMs: number;
}

/** The relay of each DataSource in this process (see OutboxRelay.start). */
export const localRelays = new WeakMap<DataSource, LocalRelay>();

/**
 * The transactional outbox: `publish` writes the message into the caller's transaction, so the
 * state change and the message commit together or not at all.
 *
 * When a relay runs in this process on the same database, the row is written by the transaction's
 * COMMIT (see TransactionOutbox: no round trip of its own), leased to that relay, which publishes
 * it straight after the commit (no claim, no NOTIFY round trip); should it fail or the process die,
 * the lease runs out and any relay claims the row. Without a local relay (a CLI, a job), the row is
 * inserted at once, available at once, and a NOTIFY wakes the relays of the running services.
 */
export class Outbox {
  /**
   * Writes a message to the outbox within `manager`'s transaction (at the latest with its commit).
   * @throws SkaldError(INVALID_MESSAGE) when the payload breaks its contract: a producer bug must
   *         fail its own transaction, not poison its consumers.
   */
  async publish<P extends object>(
    manager: EntityManager,
    definition: MessageDefinition<P>,
    payload: P,
    meta: EnvelopeMeta = {},
  ): Promise<MessageEnvelope<P>> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      throw new SkaldError('OUTBOX_NEEDS_TRANSACTION', `publish ${definition.routingKey} outside a transaction`, {
        retryable: false,
      });
    }
    const checked = validateAgainst(definition.payload, { ...payload });
    if (!checked.ok) {
      throw new SkaldError('INVALID_MESSAGE', `${definition.routingKey}: ${checked.errors.join('; ')}`, {
        retryable: false,
        details: { errors: checked.errors },
      });
    }
    const envelope = createEnvelope(definition, payload, meta);
    // The row keeps the trace context; the relay publishes it as the message's AMQP headers.
    const headers = publishTraceHeaders({
      exchange: definition.exchange,
      routingKey: definition.routingKey,
      messageId: envelope.id,
      correlationId: envelope.correlationId,
    });
    const record: OutboxRecord = {
      id: envelope.id,
      exchange: definition.exchange,
      routingKey: definition.routingKey,
      body: JSON.stringify(envelope),
      headers,
      correlationId: envelope.correlationId,
    };
    const local = localRelays.get(manager.connection);
    if (local) {
      TransactionOutbox.add(runner, record, local.leaseMs);
    } else {
      // One round trip: the row and the wake-up call for the relays (delivered only on commit).
      await manager.query(
        `WITH written AS (
           INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, correlation_id)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
         SELECT pg_notify($7, '') FROM written`,
        [record.id, record.exchange, record.routingKey, record.body, JSON.stringify(headers), record.correlationId, OUTBOX_CHANNEL],
      );
    }
    return envelope;
  }
}
