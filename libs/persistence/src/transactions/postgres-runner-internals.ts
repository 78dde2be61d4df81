import type pg from 'pg';

/**
 * What TypeORM's PostgreSQL query runner keeps of its connection and transaction (protected
 * fields), for the places that send a transaction's statements themselves: the inbox (start and
 * record in one round trip) and the writes that travel with the COMMIT (commit-writes.ts). A
 * TypeORM upgrade that changes them fails the persistence and messaging tests.
 */
export interface PostgresRunnerInternals {
  databaseConnection: pg.ClientBase;
  isTransactionActive: boolean;
  transactionDepth: number;
}
