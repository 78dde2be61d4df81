import net from 'node:net';
import { DataSource, QueryFailedError } from 'typeorm';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { postgresDataSourceOptions } from './data-source-options.js';
import { withDatabase } from './database-url.js';
import { databaseFailureOf, isDatabaseUnavailable } from './database-errors.js';

/** The real errors TypeORM and node-postgres raise, classified (real PostgreSQL). */
describe('database failure classification', () => {
  let database: ScratchDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    database = await createScratchDatabase('dberrors');
  });

  afterAll(async () => {
    for (const source of sources) if (source.isInitialized) await source.destroy().catch(() => undefined);
    await database.drop();
  });

  async function dataSource(url = database.url, statementTimeoutMs?: number): Promise<DataSource> {
    const source = new DataSource(postgresDataSourceOptions({ url, applicationName: 'db-errors-spec', poolSize: 2, statementTimeoutMs }));
    sources.push(source);
    await source.initialize();
    return source;
  }

  async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
    try {
      await work();
    } catch (error) {
      return error;
    }
    throw new Error('expected the work to fail');
  }

  it('calls a refused connection unavailable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const error = await failureOf(() => dataSource(`postgres://postgres@127.0.0.1:${port}/postgres`));
    expect(databaseFailureOf(error)).toBe('unavailable');
  });

  it('calls a connection the server terminated unavailable, seen through QueryFailedError', async () => {
    const source = await dataSource();
    const runner = source.createQueryRunner();
    await runner.connect();
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    await source.query('SELECT pg_terminate_backend($1)', [pid]);

    // 57P01 when the query is sent before the connection's end is seen, QueryRunnerAlreadyReleasedError
    // after (TypeORM releases a runner whose connection failed): both are the outage.
    const error = await failureOf(() => runner.query('SELECT 1'));
    // The rest of the work on that runner's EntityManager (a request's next transaction step) then
    // meets QueryRunnerProviderAlreadyReleasedError: the same outage, a 503, never a 500.
    // (TypeORM releases it on the connection's error event; released here too, so as not to race that.)
    await runner.release().catch(() => undefined);
    const later = await failureOf(() => runner.manager.transaction(() => Promise.resolve()));
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect((later as Error).name).toBe('QueryRunnerProviderAlreadyReleasedError');
    expect(isDatabaseUnavailable(later)).toBe(true);
  });

  it('calls a database that does not accept connections unavailable', async () => {
    // Not from inside the database itself: PostgreSQL refuses that.
    const admin = await dataSource(withDatabase(database.url, 'postgres'));
    const name = new URL(database.url).pathname.slice(1);
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      const error = await failureOf(() => dataSource());
      expect(databaseFailureOf(error)).toBe('unavailable');
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
  });

  it('calls a statement cancelled by statement_timeout a timeout, not an outage', async () => {
    const source = await dataSource(database.url, 100);
    const error = await failureOf(() => source.query('SELECT pg_sleep(2)'));
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(databaseFailureOf(error)).toBe('timeout');
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('leaves errors of the work itself unclassified', async () => {
    const source = await dataSource();
    const syntax = await failureOf(() => source.query('SELEC 1'));
    const division = await failureOf(() => source.query(`SELECT 1 FROM (VALUES (1)) v(x) WHERE 1/0 = 1`));
    expect(databaseFailureOf(syntax)).toBeUndefined();
    expect(databaseFailureOf(division)).toBeUndefined();
    expect(databaseFailureOf(new Error('handler refuses'))).toBeUndefined();
    expect(databaseFailureOf(undefined)).toBeUndefined();
  });
});
