import { context, propagation } from '@opentelemetry/api';
import { SkaldError, validateAgainst, type MessageDefinition, type MessageEnvelope } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { createEnvelope, type EnvelopeMeta } from '../envelope/create-envelope.js';

/** The channel the relay LISTENs on; a NOTIFY is delivered when (and only if) the writer commits. */
export const OUTBOX_CHANNEL = 'skald_outbox';

/** Set on a transaction's query runner when it wrote to the outbox (read by the relay on commit). */
export const OUTBOX_WRITTEN = 'skaldOutboxWritten';

/**
 * The transactional outbox: `publish` writes the message into the caller's transaction, so the
 * state change and the message commit together or not at all. The relay sends it later.
 */
export class Outbox {
  /**
   * Writes a message to the outbox within `manager`'s transaction.
   * @throws SkaldError(INVALID_MESSAGE) when the payload breaks its contract: a producer bug must
   *         fail its own transaction, not poison its consumers.
   */
  async publish<P extends object>(
    manager: EntityManager,
    definition: MessageDefinition<P>,
    payload: P,
    meta: EnvelopeMeta = {},
  ): Promise<MessageEnvelope<P>> {
    if (!manager.queryRunner?.isTransactionActive) {
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
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    // One round trip: the row and the wake-up call for the relay (delivered only on commit).
    await manager.query(
      `WITH written AS (
         INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, correlation_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
       SELECT pg_notify($7, '') FROM written`,
      [
        envelope.id,
        definition.exchange,
        definition.routingKey,
        JSON.stringify(envelope),
        JSON.stringify(headers),
        envelope.correlationId,
        OUTBOX_CHANNEL,
      ],
    );
    // A relay in this process starts on commit without waiting for the NOTIFY round trip.
    const runner = manager.queryRunner;
    runner.data = { ...runner.data, [OUTBOX_WRITTEN]: true };
    return envelope;
  }
}
