import type { DataSource, Migration } from 'typeorm';

// One key for every Skald database: the lock is per database, so services never contend.
const MIGRATION_LOCK_KEY = 7_347_001;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so replicas starting together (or a
 * migration Job racing a pod) apply each migration exactly once. Needs two pooled connections:
 * one holds the lock while TypeORM runs the migrations on another.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
