import type pg from 'pg';
import { DataSource } from 'typeorm';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { postgresDataSourceOptions } from './data-source-options.js';

describe('a pooled connection ended by the server outside a query (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createScratchDatabase('resilient_client');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'resilient-client-spec', poolSize: 3 }));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('does not crash the process: the connection is dropped, the pool goes on', async () => {
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    // Checked out and between hands: neither the pool nor TypeORM listens to it now.
    const client = await pool.connect();
    const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows as Array<{ pid: number }>;
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    // Without a listener the server's 57P01 would be an unhandled 'error' event here, ending Jest's process.
    await ended;
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    client.release(new Error('terminated'));
    expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
