import { createScratchDatabase, postgresDataSourceOptions, type ScratchDatabase } from '@skald/persistence';
import amqplib from 'amqplib';
import { DataSource } from 'typeorm';
import { createTestVhost, type TestVhost } from '../testing/test-vhost.js';
import { isInfrastructureFailure } from './infrastructure-failure.js';

/** Which real failures pause the consumer (real PostgreSQL and RabbitMQ). */
describe('infrastructure failures', () => {
  let database: ScratchDatabase;
  let vhost: TestVhost;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createScratchDatabase('infra');
    vhost = await createTestVhost('infra');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'infra-spec', poolSize: 2, statementTimeoutMs: 100 }));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await vhost?.remove();
    await database?.drop();
  });

  async function failureOf(work: () => unknown): Promise<unknown> {
    try {
      await work();
    } catch (error) {
      return error;
    }
    throw new Error('expected the work to fail');
  }

  it('counts a closed broker channel and a terminated database connection', async () => {
    const connection = await amqplib.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      await channel.close();
      expect(isInfrastructureFailure(await failureOf(() => channel.checkQueue('anything')))).toBe(true);
    } finally {
      await connection.close();
    }

    // A pool of its own: the terminated connection may go back to a pool before its socket closes.
    const victim = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'infra-spec-victim', poolSize: 1 }));
    await victim.initialize();
    try {
      // Held by a runner, so the next query goes to the terminated connection, not a new one.
      const runner = victim.createQueryRunner();
      await runner.connect();
      const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
      await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
      expect(isInfrastructureFailure(await failureOf(() => runner.query('SELECT 1')))).toBe(true);
      await runner.release().catch(() => undefined);
    } finally {
      await victim.destroy().catch(() => undefined);
    }
  });

  it('does not count a statement timeout, a failing statement or a handler error', async () => {
    expect(isInfrastructureFailure(await failureOf(() => dataSource.query('SELECT pg_sleep(2)')))).toBe(false);
    expect(isInfrastructureFailure(await failureOf(() => dataSource.query('SELECT 1/0')))).toBe(false);
    expect(isInfrastructureFailure(new Error('Channel closed by a handler that says so'))).toBe(false);
  });
});
