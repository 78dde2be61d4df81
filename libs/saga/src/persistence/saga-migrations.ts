import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The saga row and its step log (see SagaEntity), the same tables in every service that runs a
 * saga. Never edit: add a migration. (The orders service had them first under other names; its
 * own migration renames them to these.)
 */
export class SagaTables1763800000200 implements MigrationInterface {
  name = 'SagaTables1763800000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE saga (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        state text NOT NULL,
        version integer NOT NULL,
        deadline_at timestamptz,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX saga_deadline_idx ON saga (type, deadline_at) WHERE deadline_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE saga_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        saga_id uuid NOT NULL REFERENCES saga (id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind text NOT NULL,
        message_type text,
        message_id uuid,
        from_state text,
        to_state text,
        reason text
      )`);
    await q.query(`CREATE INDEX saga_step_saga_idx ON saga_step (saga_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE saga_step`);
    await q.query(`DROP TABLE saga`);
  }
}

/**
 * For the saga timeline: the trace id each step ran under, and indexes for the on-call lists
 * (`GET /internal/sagas?state=stuck|compensating`) over 100,000 sagas: by state, and the few the
 * scheduler marked stuck. Dated after the orders service's own saga migration (it renamed its
 * older tables to these), so both services run it once their tables exist.
 */
export class SagaTimeline1764100000000 implements MigrationInterface {
  name = 'SagaTimeline1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE saga_step ADD COLUMN trace_id text`);
    await q.query(`CREATE INDEX saga_state_updated_idx ON saga (state, updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX saga_stuck_idx ON saga (updated_at DESC, id DESC) WHERE (data->>'stuck') = 'true'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX saga_stuck_idx`);
    await q.query(`DROP INDEX saga_state_updated_idx`);
    await q.query(`ALTER TABLE saga_step DROP COLUMN trace_id`);
  }
}

/**
 * The saga tables' migrations, in order; a service that runs a saga lists them after the messaging
 * ones. (The orders service lists only SagaTimeline1764100000000: it made the tables itself.)
 */
export const sagaMigrations: Array<new () => MigrationInterface> = [SagaTables1763800000200, SagaTimeline1764100000000];
