import pg from 'pg';
import { databaseNameOf, quoteIdentifier, withDatabase } from './database-url.js';

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';
const INVALID_CATALOG_NAME = '3D000';
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Creates the database a URL names if it does not exist yet. Safe when several replicas start at
 * once. It first connects to the database itself: where it was made beforehand for a role that
 * owns it and may not create databases (least privilege: docs/operations.md), that is all it does.
 * Only when the server answers that the database does not exist does it connect to the `postgres`
 * maintenance database to create it (a role allowed to: a developer's or a test's superuser).
 * @returns true when this call created it.
 */
export async function ensureDatabase(url: string, maintenanceDatabase = 'postgres'): Promise<boolean> {
  if (await databaseExists(url)) return false;
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
      if (code === INSUFFICIENT_PRIVILEGE) {
        // A service's own role (least privilege) finds its database made for it, never makes one.
        const user = decodeURIComponent(new URL(url).username) || 'this role';
        throw Object.assign(
          new Error(`database ${name} does not exist, and ${user} may not create databases: create it, owned by ${user} (docs/operations.md, "Least privilege")`),
          { code },
        );
      }
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Whether the database answers a connection; false only when the server says it does not exist. */
async function databaseExists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    // A client whose connection failed is closed already (ending it again may never settle).
    if ((error as { code?: string }).code === INVALID_CATALOG_NAME) return false;
    throw error;
  }
  await client.end();
  return true;
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
