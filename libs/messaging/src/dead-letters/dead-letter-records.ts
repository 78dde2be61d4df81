import type { DeadLetterAction, DeadLetterStatus } from '@skald/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/** What the service knows of a dead letter when it is dead-lettered (or first met in the queue). */
export interface DeadLetterFacts {
  messageId: string;
  routingKey: string;
  correlationId?: string;
  tenantId?: string;
  reason: string;
  error: string;
  attempts: number;
  /** ISO 8601. */
  deadLetteredAt: string;
  traceId?: string;
}

/** A dead letter as the service recorded it, with the operators' actions. */
export interface DeadLetterRecord extends DeadLetterFacts {
  status: DeadLetterStatus;
  actions: DeadLetterAction[];
}

interface RecordRow {
  message_id: string;
  routing_key: string;
  correlation_id: string | null;
  tenant_id: string | null;
  reason: string;
  error: string;
  attempts: number;
  dead_lettered_at: Date;
  trace_id: string | null;
  status: DeadLetterStatus;
}

interface ActionRow {
  message_id: string;
  action: 'replayed' | 'discarded';
  actor: string;
  reason: string | null;
  acted_at: Date;
}

const FACT_COLUMNS = 'message_id, routing_key, correlation_id, tenant_id, reason, error, attempts, dead_lettered_at, trace_id';

function factValues(facts: DeadLetterFacts): unknown[] {
  return [
    facts.messageId,
    facts.routingKey,
    facts.correlationId ?? null,
    facts.tenantId ?? null,
    facts.reason,
    facts.error,
    facts.attempts,
    facts.deadLetteredAt,
    facts.traceId ?? null,
  ];
}

/** The `dead_letter` and `dead_letter_action` tables of a service database. */
export class DeadLetterRecords {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a message the consumer dead-letters: a new record, or (a replayed message that failed
   * again) the same record back to `dead` with the new reason, error and time; its actions stay.
   */
  async deadLettered(facts: DeadLetterFacts): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO dead_letter (${FACT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (message_id) DO UPDATE SET
         routing_key = EXCLUDED.routing_key, correlation_id = EXCLUDED.correlation_id, tenant_id = EXCLUDED.tenant_id,
         reason = EXCLUDED.reason, error = EXCLUDED.error, attempts = EXCLUDED.attempts,
         dead_lettered_at = EXCLUDED.dead_lettered_at, trace_id = EXCLUDED.trace_id,
         status = 'dead', status_changed_at = now()`,
      factValues(facts),
    );
  }

  /**
   * Records an operator's replay or discard and the status it leads to, in one transaction. A
   * message the broker dead-lettered itself gets its record here, from what the queue tells.
   * @returns the action's id (to undo a replay whose publish failed).
   */
  async acted(facts: DeadLetterFacts, action: 'replayed' | 'discarded', actor: string, reason?: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO dead_letter (${FACT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (message_id) DO NOTHING`, factValues(facts));
      await manager.query(`UPDATE dead_letter SET status = $2, status_changed_at = now() WHERE message_id = $1`, [facts.messageId, action]);
      const [{ id }] = (await manager.query(`INSERT INTO dead_letter_action (message_id, action, actor, reason) VALUES ($1, $2, $3, $4) RETURNING id::text AS id`, [
        facts.messageId,
        action,
        actor,
        reason ?? null,
      ])) as Array<{ id: string }>;
      return id;
    });
  }

  /** Takes back a recorded replay that did not happen (the publish failed): the letter is dead again. */
  async undoReplay(messageId: string, actionId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM dead_letter_action WHERE id = $1`, [actionId]);
      await manager.query(`UPDATE dead_letter SET status = 'dead', status_changed_at = now() WHERE message_id = $1`, [messageId]);
    });
  }

  /** The records with these message ids. */
  async byIds(messageIds: string[]): Promise<DeadLetterRecord[]> {
    if (messageIds.length === 0) return [];
    return this.withActions(this.dataSource.manager, await this.dataSource.query(`SELECT * FROM dead_letter WHERE message_id = ANY($1)`, [messageIds]));
  }

  /** A saga's dead letters, whatever became of them, newest first. */
  async ofCorrelation(correlationId: string, limit: number): Promise<DeadLetterRecord[]> {
    const rows: RecordRow[] = await this.dataSource.query(`SELECT * FROM dead_letter WHERE correlation_id = $1 ORDER BY dead_lettered_at DESC LIMIT $2`, [
      correlationId,
      limit,
    ]);
    return this.withActions(this.dataSource.manager, rows);
  }

  /** The dead letters not replayed or discarded yet, newest first. */
  async dead(limit: number): Promise<DeadLetterRecord[]> {
    const rows: RecordRow[] = await this.dataSource.query(`SELECT * FROM dead_letter WHERE status = 'dead' ORDER BY dead_lettered_at DESC LIMIT $1`, [limit]);
    return this.withActions(this.dataSource.manager, rows);
  }

  private async withActions(manager: EntityManager, rows: RecordRow[]): Promise<DeadLetterRecord[]> {
    if (rows.length === 0) return [];
    const actions: ActionRow[] = await manager.query(
      `SELECT message_id, action, actor, reason, acted_at FROM dead_letter_action WHERE message_id = ANY($1) ORDER BY acted_at, id`,
      [rows.map((row) => row.message_id)],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      routingKey: row.routing_key,
      correlationId: row.correlation_id ?? undefined,
      tenantId: row.tenant_id ?? undefined,
      reason: row.reason,
      error: row.error,
      attempts: row.attempts,
      deadLetteredAt: row.dead_lettered_at.toISOString(),
      traceId: row.trace_id ?? undefined,
      status: row.status,
      actions: actions
        .filter((action) => action.message_id === row.message_id)
        .map((action) => ({
          action: action.action,
          by: action.actor,
          at: action.acted_at.toISOString(),
          ...(action.reason === null ? {} : { reason: action.reason }),
        })),
    }));
  }
}
