import pg from 'pg';
import { databaseNameOf, quoteIdentifier, withDatabase } from './database-url.js';

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the database a URL names if it does not exist yet, connecting to the server's
 * `postgres` maintenance database. Safe when several replicas start at once.
 * @returns true when this call created it.
 */
export async function ensureDatabase(url: string, maintenanceDatabase = 'postgres'): Promise<boolean> {
  const name = databaseNameOf(url);
  const client = new pg.Client({ connectionString: withDatabase(url, maintenanceDatabase) });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Another replica won the race; the database exists, which is all we need.
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Drops a database, disconnecting its sessions first. For throwaway test databases only. */
export async function dropDatabase(url: string, maintenanceDatabase = 'postgres'): Promise<void> {
  const name = databaseNameOf(url);
  const client = new pg.Client({ connectionString: withDatabase(url, maintenanceDatabase) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
