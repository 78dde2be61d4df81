import { Injectable } from '@nestjs/common';
import { writeWithCommit, type CommitWriter } from '@skald/persistence';
import { In, type EntityManager } from 'typeorm';
import { DeliveryAttempt, type AttemptOutcome } from './delivery-attempt.entity.js';
import { Delivery, type DeliveryChannel, type DeliveryStatus } from './delivery.entity.js';

/**
 * The channel the dispatcher LISTENs on; a NOTIFY is delivered when (and only if) the planner commits.
 * Its payload names the channels of the new deliveries, comma-separated (`email,webhook`); an empty
 * payload (an older version's) wakes every dispatcher.
 */
export const DELIVERY_NOTIFY_CHANNEL = 'notifications_delivery';

export interface NewDelivery {
  id: string;
  sourceMessageId: string;
  channel: DeliveryChannel;
  target: string;
  topic: string;
  tenantId: string | null;
  orderId: string | null;
  correlationId: string | null;
  payload: Delivery['payload'];
  /** Set when the channel cannot send yet (not configured), so the waiting delivery says why. */
  lastError: string | null;
}

/** A delivery a dispatcher has claimed: its lease runs until it records the outcome of `attempt`. */
export interface ClaimedDelivery {
  id: string;
  channel: DeliveryChannel;
  target: string;
  payload: Delivery['payload'];
  attempt: number;
  claimedAt: Date;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  outcome: Exclude<AttemptOutcome, 'expired'>;
  detail: string;
  /** For a retryable failure: the back-off before the next attempt; null ends the delivery. */
  retryInMs: number | null;
}

export interface DeliveryFilter {
  orderId?: string;
  channel?: DeliveryChannel;
  status?: DeliveryStatus;
  limit: number;
  /** Id of the last delivery of the previous page. */
  after?: string;
}

/**
 * New deliveries, one multi-row INSERT that skips those planned before, with the NOTIFY of their
 * channels (`email,sms`) when any is new: a dispatcher that cannot send on any of them (no
 * SMTP_URL, …) is not woken for a claim that would find nothing. Values are literals escaped by
 * the driver (the statement goes out as a simple query, with the COMMIT).
 */
const NEW_DELIVERIES: CommitWriter<NewDelivery> = {
  statement(deliveries, client) {
    const literal = (value: string | null) => (value === null ? 'NULL' : client.escapeLiteral(value));
    const rows = deliveries.map(
      (d) =>
        `(${literal(d.id)}::uuid, ${literal(d.sourceMessageId)}::uuid, ${literal(d.channel)}, ${literal(d.target)}, ${literal(d.topic)}, ` +
        `${literal(d.tenantId)}, ${literal(d.orderId)}, ${literal(d.correlationId)}, ${literal(JSON.stringify(d.payload))}::jsonb, ${literal(d.lastError)}, 'pending', 0)`,
    );
    return `WITH inserted AS (
         INSERT INTO delivery (id, source_message_id, channel, target, topic, tenant_id, order_id, correlation_id, payload, last_error, status, attempts)
         VALUES ${rows.join(', ')}
         ON CONFLICT DO NOTHING
         RETURNING channel)
       SELECT pg_notify(${literal(DELIVERY_NOTIFY_CHANNEL)}, string_agg(DISTINCT channel, ',' ORDER BY channel)) FROM inserted HAVING count(*) > 0`;
  },
};

const EXPIRED_DETAIL = 'the replica sending it stopped before recording an outcome';

/** TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected count]; a SELECT with rows. */
function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

@Injectable()
export class DeliveriesRepository {
  /**
   * Inserts the deliveries that do not exist yet (same source message, channel, target and topic)
   * with the COMMIT of the caller's transaction and, when any is new, wakes the dispatchers once it
   * has committed.
   *
   * Plain SQL on purpose: this runs for every order status event. Nothing in the handler reads the
   * rows again, so they do not get a round trip of their own: they travel with the COMMIT
   * (`writeWithCommit`, as the outbox's messages and the saga's steps do), one multi-row INSERT
   * with the NOTIFY in the same statement — a handler's transaction is its inbox record, this and
   * the COMMIT, two round trips. If the insert fails, the commit fails with it (all or nothing).
   * Outside a transaction (no caller does that today) it opens one of its own.
   */
  async insertNew(manager: EntityManager, deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      await manager.transaction((inner) => this.insertNew(inner, deliveries));
      return;
    }
    for (const delivery of deliveries) writeWithCommit(runner, NEW_DELIVERIES, delivery);
  }

  /**
   * Ends the deliveries whose last allowed attempt was claimed by a replica that never recorded it.
   * @returns how many were marked failed.
   */
  async failExpiredLastAttempts(manager: EntityManager, maxAttempts: number, leaseMs: number): Promise<number> {
    const result: unknown = await manager.query(
      `WITH expired AS (
         SELECT id, attempts, next_attempt_at FROM delivery
          WHERE status = 'sending' AND next_attempt_at <= now() AND attempts >= $1
          ORDER BY next_attempt_at LIMIT 100
          FOR UPDATE SKIP LOCKED
       ), logged AS (
         INSERT INTO delivery_attempt (delivery_id, attempt, at, outcome, detail)
         SELECT id, attempts, next_attempt_at - $2 * interval '1 millisecond', 'expired', $3 FROM expired
         ON CONFLICT (delivery_id, attempt) DO NOTHING
       )
       UPDATE delivery d SET status = 'failed', next_attempt_at = NULL, last_error = $3
         FROM expired WHERE d.id = expired.id
       RETURNING d.id`,
      [maxAttempts, leaseMs, `${EXPIRED_DETAIL}; no attempts left`],
    );
    return returnedRows(result).length;
  }

  /**
   * Claims up to `limit` due deliveries of `channels` for `leaseMs`: each gets its next attempt number
   * and is skipped by every other dispatcher until the lease ends. Rows another dispatcher is claiming
   * right now are skipped, not waited for. A claim whose lease ran out is logged as an expired attempt
   * and claimed again.
   */
  async claimDue(
    manager: EntityManager,
    options: { limit: number; channels: DeliveryChannel[]; maxAttempts: number; leaseMs: number },
  ): Promise<ClaimedDelivery[]> {
    if (options.channels.length === 0 || options.limit <= 0) return [];
    const result: unknown = await manager.query(
        `WITH due AS (
           SELECT id, status, attempts, next_attempt_at FROM delivery
            WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
              AND channel = ANY($2::text[]) AND attempts < $3
            ORDER BY next_attempt_at, id LIMIT $1
            FOR UPDATE SKIP LOCKED
         ), expired AS (
           INSERT INTO delivery_attempt (delivery_id, attempt, at, outcome, detail)
           SELECT id, attempts, next_attempt_at - $4 * interval '1 millisecond', 'expired', $5
             FROM due WHERE status = 'sending'
           ON CONFLICT (delivery_id, attempt) DO NOTHING
         )
         UPDATE delivery d
            SET status = 'sending', attempts = d.attempts + 1, next_attempt_at = now() + $4 * interval '1 millisecond'
           FROM due WHERE d.id = due.id
         RETURNING d.id, d.channel, d.target, d.payload, d.attempts, now() AS claimed_at`,
        [options.limit, options.channels, options.maxAttempts, options.leaseMs, `${EXPIRED_DETAIL}; sending again`],
      );
    const rows = returnedRows<{ id: string; channel: DeliveryChannel; target: string; payload: Delivery['payload']; attempts: number; claimed_at: Date }>(result);
    return rows.map((row) => ({
      id: row.id,
      channel: row.channel,
      target: row.target,
      payload: row.payload,
      attempt: row.attempts,
      claimedAt: row.claimed_at,
    }));
  }

  /**
   * Records an attempt and moves the delivery on: sent, pending again after the back-off, or failed.
   * The move happens only while the claim of this attempt still holds (status `sending`, same attempt
   * number); the attempt itself is logged either way, since the send did happen.
   * @returns false when the claim had been taken over (the lease ran out before the outcome).
   */
  async recordAttempt(manager: EntityManager, record: AttemptRecord): Promise<boolean> {
    const status: DeliveryStatus = record.outcome === 'sent' ? 'sent' : record.retryInMs === null ? 'failed' : 'pending';
    const result: unknown = await manager.query(
      `UPDATE delivery
          SET status = $3,
              next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + $4 * interval '1 millisecond' END,
              sent_at = CASE WHEN $3 = 'sent' THEN now() END,
              last_error = CASE WHEN $3 = 'sent' THEN NULL ELSE $5 END
        WHERE id = $1 AND attempts = $2 AND status = 'sending'
        RETURNING next_attempt_at`,
      [record.deliveryId, record.attempt, status, record.retryInMs ?? 0, record.detail],
    );
    const moved = returnedRows<{ next_attempt_at: Date | null }>(result);
    const retryAt = moved.length === 1 && status === 'pending' ? moved[0].next_attempt_at : null;
    await manager.query(
      `INSERT INTO delivery_attempt (delivery_id, attempt, at, duration_ms, outcome, detail, retry_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (delivery_id, attempt) DO UPDATE
         SET at = EXCLUDED.at, duration_ms = EXCLUDED.duration_ms, outcome = EXCLUDED.outcome,
             detail = EXCLUDED.detail, retry_at = EXCLUDED.retry_at`,
      [record.deliveryId, record.attempt, record.startedAt, record.durationMs, record.outcome, record.detail, retryAt],
    );
    return moved.length === 1;
  }

  /** A page of deliveries, newest first. Undefined when `after` names no delivery. */
  async list(manager: EntityManager, filter: DeliveryFilter): Promise<Delivery[] | undefined> {
    const query = manager
      .getRepository(Delivery)
      .createQueryBuilder('delivery')
      .orderBy('delivery.created_at', 'DESC')
      .addOrderBy('delivery.id', 'DESC')
      .limit(filter.limit);
    if (filter.orderId !== undefined) query.andWhere('delivery.order_id = :orderId', { orderId: filter.orderId });
    if (filter.channel !== undefined) query.andWhere('delivery.channel = :channel', { channel: filter.channel });
    if (filter.status !== undefined) query.andWhere('delivery.status = :status', { status: filter.status });
    if (filter.after !== undefined) {
      const exists = await manager.getRepository(Delivery).existsBy({ id: filter.after });
      if (!exists) return undefined;
      // Keyset on the exact stored values (microseconds), not on a rounded copy of them.
      query.andWhere(
        '(delivery.created_at, delivery.id) < (SELECT c.created_at, c.id FROM delivery c WHERE c.id = :after)',
        { after: filter.after },
      );
    }
    return query.getMany();
  }

  /** The attempts of these deliveries, in order. */
  attemptsOf(manager: EntityManager, deliveryIds: string[]): Promise<DeliveryAttempt[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return manager.getRepository(DeliveryAttempt).find({
      where: { deliveryId: In(deliveryIds) },
      order: { deliveryId: 'ASC', attempt: 'ASC' },
    });
  }
}
