import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase, ensureDatabase } from '../database/ensure-database.js';
import { quoteIdentifier, withDatabase } from '../database/database-url.js';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A test database name no other file or run uses. Under `npm test` it starts with the run's tag
 * (SKALD_TEST_RUN), so the run can drop whatever a crashed file left behind.
 */
export function scratchDatabaseName(prefix: string): string {
  const parts = [process.env.SKALD_TEST_RUN ?? '', prefix, randomBytes(4).toString('hex')];
  return parts
    .filter(Boolean)
    .join('_')
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase();
}

/**
 * A fresh, uniquely named database for one test file: tests own their data and never see
 * another file's rows. Server from `TEST_DATABASE_URL` (default: local trust-auth PostgreSQL).
 */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = scratchDatabaseName(prefix);
  const url = withDatabase(server, name);
  await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}

/**
 * Drops every database and role whose name starts with `tag_` (a test run's); returns the
 * databases' names. For throwaway test databases only.
 */
export async function dropDatabasesTagged(tag: string, serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'): Promise<string[]> {
  if (!/^[a-z0-9]+$/.test(tag)) throw new Error(`dropDatabasesTagged: the tag must be lower-case letters and digits, not ${JSON.stringify(tag)}`);
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [`${tag}_`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`);
    // And the run's roles (the e2e suite's services run as their own: least privilege), which
    // owned those databases and own nothing else.
    const roles = await client.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [`${tag}_`]);
    for (const { rolname } of roles.rows) await client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(rolname)}`);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}
