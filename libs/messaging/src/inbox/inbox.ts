import type { MessageEnvelope } from '@skald/contracts';
import type { EntityManager } from 'typeorm';

/**
 * The idempotent inbox. A handler's effect and the record of the message id commit in one
 * transaction; a redelivered or duplicated message finds the id and has no second effect.
 */
export class Inbox {
  /**
   * Records the message as processed within `manager`'s transaction.
   * @returns false when it was processed before (the caller must skip the effect). A concurrent
   *          duplicate blocks on the primary key until the first transaction ends.
   */
  async claim(manager: EntityManager, envelope: MessageEnvelope, routingKey: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO inbox_message (message_id, routing_key, correlation_id) VALUES ($1, $2, $3)
       ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
      [envelope.id, routingKey, envelope.correlationId],
    );
    return rows.length === 1;
  }

  /** Deletes records older than the retention (far beyond any retry or replay window). */
  async prune(manager: EntityManager, retentionMs: number): Promise<void> {
    await manager.query(
      `DELETE FROM inbox_message WHERE message_id IN (
         SELECT message_id FROM inbox_message WHERE processed_at < now() - $1 * interval '1 millisecond' LIMIT 5000)`,
      [retentionMs],
    );
  }
}
