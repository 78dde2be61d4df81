import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { postgresDataSourceOptions } from '../database/data-source-options.js';
import { databaseNameOf, redactUrl, withDatabase } from '../database/database-url.js';
import { dropDatabase, ensureDatabase } from '../database/ensure-database.js';
import { runMigrations } from './run-migrations.js';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

class CreateLedger1700000000001 implements MigrationInterface {
  name = 'CreateLedger1700000000001';
  async up(runner: QueryRunner): Promise<void> {
    // Slow on purpose: a second runner must wait for the lock, not apply it again.
    await runner.query(`SELECT pg_sleep(0.3)`);
    await runner.query(`CREATE TABLE ledger (id serial PRIMARY KEY, note text)`);
    await runner.query(`INSERT INTO ledger (note) VALUES ('applied')`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ledger`);
  }
}

describe('database preparation (real PostgreSQL)', () => {
  const url = withDatabase(SERVER, `persistence_${randomBytes(4).toString('hex')}`);

  afterAll(async () => {
    await dropDatabase(url);
  });

  it('creates a missing database once, even when replicas race to create it', async () => {
    const created = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await ensureDatabase(url)).toBe(false);

    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseNameOf(url)]);
    await client.end();
    expect(rows).toHaveLength(1);
  });

  it('applies each migration exactly once when two replicas migrate at the same time', async () => {
    const replicas = [0, 1].map(
      (i) =>
        new DataSource(
          postgresDataSourceOptions({ url, applicationName: `replica-${i}`, migrations: [CreateLedger1700000000001], poolSize: 2 }),
        ),
    );
    await Promise.all(replicas.map((replica) => replica.initialize()));
    try {
      const applied = await Promise.all(replicas.map((replica) => runMigrations(replica)));
      expect(applied.map((list) => list.length).sort()).toEqual([0, 1]);
      expect(await replicas[0].query(`SELECT note FROM ledger`)).toEqual([{ note: 'applied' }]);
      expect(await replicas[0].query(`SELECT name FROM migrations`)).toEqual([{ name: 'CreateLedger1700000000001' }]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
    }
  });

  it('finds a database made beforehand for a role that owns it and may not create databases, and migrates it', async () => {
    // Least privilege (docs/operations.md): a platform team makes the database and the service's
    // role; the service must start with it as it is, never needing to create one.
    const role = `${databaseNameOf(url)}_owner`;
    const owned = withDatabase(SERVER, `${databaseNameOf(url)}_owned`);
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE "${role}" LOGIN NOCREATEDB NOSUPERUSER PASSWORD 'throwaway'`);
      await admin.query(`CREATE DATABASE "${databaseNameOf(owned)}" OWNER "${role}"`);
      await admin.query(`REVOKE ALL ON DATABASE "${databaseNameOf(owned)}" FROM PUBLIC`);
      const asRole = (database: string) => {
        const parsed = new URL(database);
        parsed.username = role;
        parsed.password = 'throwaway';
        return parsed.toString();
      };
      await expect(ensureDatabase(asRole(owned))).resolves.toBe(false);
      // And where it is missing, such a role is refused (the database is not made silently elsewhere).
      await expect(ensureDatabase(asRole(withDatabase(SERVER, `${databaseNameOf(url)}_missing`)))).rejects.toMatchObject({
        code: '42501',
        message: expect.stringContaining('may not create databases: create it'),
      });

      const service = new DataSource(postgresDataSourceOptions({ url: asRole(owned), applicationName: 'owner', migrations: [CreateLedger1700000000001], poolSize: 2 }));
      await service.initialize();
      try {
        expect((await runMigrations(service)).map((m) => m.name)).toEqual(['CreateLedger1700000000001']);
        expect(await service.query(`SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user`)).toEqual([{ rolsuper: false, rolcreatedb: false }]);
      } finally {
        await service.destroy();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${databaseNameOf(owned)}" WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end();
    }
  });

  it('never shows a password in a URL meant for logs', () => {
    expect(redactUrl('postgres://skald:s3cret@db:5432/skald_orders')).toBe('postgres://skald:***@db:5432/skald_orders');
    expect(redactUrl('not a url')).toBe('<unparseable url>');
    expect(databaseNameOf('postgres://db/skald%20x')).toBe('skald x');
    expect(() => databaseNameOf('postgres://db/')).toThrow('no database name');
  });
});
