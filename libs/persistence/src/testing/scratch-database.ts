import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../database/ensure-database.js';
import { withDatabase } from '../database/database-url.js';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database for one test file: tests own their data and never see
 * another file's rows. Server from `TEST_DATABASE_URL` (default: local trust-auth PostgreSQL).
 */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(server, name);
  await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}
