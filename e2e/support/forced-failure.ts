import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface ForcedFailureSpec {
  /** The service's table whose writes fail (it has an `external_id` column: the order's). */
  table: string;
  /** When the trigger fires: `BEFORE INSERT`, `BEFORE UPDATE`. */
  on: 'BEFORE INSERT' | 'BEFORE UPDATE';
  /** An extra SQL condition on NEW (e.g. `NEW.status = 'cancelled'`); default: every such write. */
  when?: string;
  /** What the failure says (the error a dead letter keeps); `%` is the external id. */
  message: string;
}

/**
 * A failure a test forces on a service without any fault code in the service: a trigger on one of
 * its tables raises for the orders (external ids) the test's own flag table names, until the flag
 * is lowered. Everything it creates carries a name of its own and is removed by `remove`.
 */
export class ForcedFailure {
  private constructor(
    private readonly db: pg.Client,
    private readonly name: string,
    private readonly table: string,
  ) {}

  static async install(connectionString: string, spec: ForcedFailureSpec): Promise<ForcedFailure> {
    const db = new pg.Client({ connectionString });
    await db.connect();
    // The services run as their own roles (least privilege): the flag table and the trigger
    // function belong to the table's owner, so that the service's own writes may read the flags.
    const [{ owner }] = (await db.query<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE schemaname = 'public' AND tablename = $1`, [spec.table])).rows;
    await db.query(`SET ROLE "${owner.replace(/"/g, '""')}"`);
    const name = `e2e_fault_${randomUUID().slice(0, 8)}`;
    await db.query(`CREATE TABLE ${name} (external_id text PRIMARY KEY)`);
    await db.query(`
      CREATE FUNCTION ${name}_raise() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (${spec.when ?? 'true'}) AND EXISTS (SELECT 1 FROM ${name} WHERE external_id = NEW.external_id) THEN
          RAISE EXCEPTION '${spec.message.replace(/'/g, "''")}', NEW.external_id;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER ${name}_trigger ${spec.on} ON ${spec.table} FOR EACH ROW EXECUTE FUNCTION ${name}_raise()`);
    return new ForcedFailure(db, name, spec.table);
  }

  /** Writes for this order fail from now on. */
  async raise(externalId: string): Promise<void> {
    await this.db.query(`INSERT INTO ${this.name} (external_id) VALUES ($1)`, [externalId]);
  }

  /** The cause is fixed: writes for this order succeed again. */
  async lower(externalId: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.name} WHERE external_id = $1`, [externalId]);
  }

  /** A query on the same database (for the test's checks). */
  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }

  async remove(): Promise<void> {
    await this.db.query(`DROP TRIGGER IF EXISTS ${this.name}_trigger ON ${this.table}`).catch(() => undefined);
    await this.db.query(`DROP FUNCTION IF EXISTS ${this.name}_raise()`).catch(() => undefined);
    await this.db.query(`DROP TABLE IF EXISTS ${this.name}`).catch(() => undefined);
    await this.db.end();
  }
}
