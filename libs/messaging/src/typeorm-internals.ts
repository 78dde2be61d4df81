import type pg from 'pg';

/**
 * What TypeORM's PostgreSQL query runner keeps of its connection and transaction (protected
 * fields), for the two places that send a transaction's statements themselves: the inbox (start
 * and record in one round trip) and the transaction outbox (rows with the commit). A TypeORM
 * upgrade that changes them fails the messaging tests.
 */
export interface PostgresRunnerInternals {
  databaseConnection: pg.ClientBase;
  isTransactionActive: boolean;
  transactionDepth: number;
}
