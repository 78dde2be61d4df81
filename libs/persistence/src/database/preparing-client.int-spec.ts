import type pg from 'pg';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { postgresDataSourceOptions } from './data-source-options.js';
import { MAX_PREPARED_STATEMENTS_PER_CONNECTION } from './preparing-client.js';

interface Prepared {
  name: string;
  statement: string;
  executions: number;
}

/** The named statements of the runner's own connection (a parameterless query: never prepared itself). */
async function preparedOn(runner: QueryRunner): Promise<Prepared[]> {
  return runner.query(
    `SELECT name, statement, generic_plans + custom_plans AS executions FROM pg_prepared_statements WHERE name <> '' ORDER BY prepare_time, name`,
  );
}

describe('prepared statements per connection (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  let runner: QueryRunner;

  beforeAll(async () => {
    database = await createScratchDatabase('preparing_client');
    const options = postgresDataSourceOptions({ url: database.url, applicationName: 'preparing-client-spec', poolSize: 3 });
    // A new connection for each checkout (each test), without the statements of the one before.
    dataSource = new DataSource({ ...options, extra: { ...options.extra, maxUses: 1 } } as DataSourceOptions);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });
  beforeEach(async () => {
    runner = dataSource.createQueryRunner();
    await runner.connect();
  });
  afterEach(async () => {
    await runner.release();
  });

  it('prepares a parameterised statement once per connection, named after its text, and reuses it', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    expect(await runner.query(text, [1])).toEqual([{ n: 2 }]);
    expect(await runner.query(text, [41])).toEqual([{ n: 42 }]);

    const prepared = await preparedOn(runner);
    expect(prepared).toEqual([{ name: expect.stringMatching(/^skald_[0-9a-f]{32}$/), statement: text, executions: '2' }]);
    // Another connection gives the same text the same name.
    const other = dataSource.createQueryRunner();
    try {
      await other.query(text, [2]);
      expect((await preparedOn(other)).map((row) => row.name)).toEqual([prepared[0].name]);
    } finally {
      await other.release();
    }
  });

  it(`prepares at most ${MAX_PREPARED_STATEMENTS_PER_CONNECTION} statements on a connection; the rest run unnamed`, async () => {
    const count = MAX_PREPARED_STATEMENTS_PER_CONNECTION + 20;
    for (let i = 0; i < count; i++) expect(await runner.query(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
    // Once more each: the first ones from their prepared statements, the others parsed anew, all answered.
    for (let i = 0; i < count; i++) expect(await runner.query(`SELECT $1::int + ${i} AS n`, [2])).toEqual([{ n: 2 + i }]);

    const prepared = await preparedOn(runner);
    expect(prepared).toHaveLength(MAX_PREPARED_STATEMENTS_PER_CONNECTION);
    expect(prepared.map((row) => row.statement)).toEqual(Array.from({ length: MAX_PREPARED_STATEMENTS_PER_CONNECTION }, (_, i) => `SELECT $1::int + ${i} AS n`));
  });

  it('sends parameterless, multi-statement and utility statements as before, never prepared', async () => {
    const client = (await runner.connect()) as pg.ClientBase;
    expect(await runner.query('SELECT 42 AS n')).toEqual([{ n: 42 }]);
    expect(await runner.query('SELECT 42 AS n', [])).toEqual([{ n: 42 }]);
    const [, selected] = (await client.query('START TRANSACTION; SELECT 1 AS one')) as unknown as pg.QueryResult[];
    expect(selected.rows).toEqual([{ one: 1 }]);
    await client.query(`CREATE TEMPORARY TABLE noted (id int); INSERT INTO noted VALUES (1); COMMIT`);
    await runner.query('LISTEN preparing_client_spec');
    await runner.query('UNLISTEN preparing_client_spec');
    await runner.query(`NOTIFY preparing_client_spec, 'x'`);

    expect(await preparedOn(runner)).toEqual([]);
  });

  it('keeps the connection usable after a prepared statement fails, at parse or at execution', async () => {
    // Parse fails (no such table): the name is not taken as prepared, the same text is parsed again later.
    const select = 'SELECT id FROM later WHERE id = $1';
    await expect(runner.query(select, [1])).rejects.toThrow('relation "later" does not exist');
    await runner.query('CREATE TEMPORARY TABLE later (id int)');
    await runner.query('INSERT INTO later VALUES ($1)', [1]);
    expect(await runner.query(select, [1])).toEqual([{ id: 1 }]);

    // Execution fails: the statement stays prepared and answers the next call.
    const divide = 'SELECT 10 / $1::int AS q';
    await expect(runner.query(divide, [0])).rejects.toThrow('division by zero');
    expect(await runner.query(divide, [5])).toEqual([{ q: 2 }]);

    // Parsed in a transaction that is rolled back: prepared statements are not transactional.
    const inTransaction = 'SELECT $1::text AS t';
    await runner.startTransaction();
    await runner.query(inTransaction, ['a']);
    await runner.rollbackTransaction();
    expect(await runner.query(inTransaction, ['b'])).toEqual([{ t: 'b' }]);

    // Parse refused in an aborted transaction: parsed after the rollback.
    const afterAbort = 'SELECT $1::int * 2 AS d';
    await runner.startTransaction();
    await expect(runner.query('SELECT 1 / $1::int', [0])).rejects.toThrow('division by zero');
    await expect(runner.query(afterAbort, [1])).rejects.toThrow('current transaction is aborted');
    await runner.rollbackTransaction();
    expect(await runner.query(afterAbort, [2])).toEqual([{ d: 4 }]);

    expect((await preparedOn(runner)).map((row) => row.statement).sort()).toEqual(
      [select, 'INSERT INTO later VALUES ($1)', divide, inTransaction, 'SELECT 1 / $1::int', afterAbort].sort(),
    );
  });

  it('after a migration changed the columns of a prepared `SELECT *`, sends it unnamed: at once outside a transaction', async () => {
    await runner.query('CREATE TABLE widened (id int)');
    await runner.query('INSERT INTO widened VALUES (1)');
    const select = 'SELECT * FROM widened WHERE id = $1';
    expect(await runner.query(select, [1])).toEqual([{ id: 1 }]);
    await runner.query('ALTER TABLE widened ADD COLUMN size int');

    expect(await runner.query(select, [1])).toEqual([{ id: 1, size: null }]);
    expect(await runner.query(select, [1])).toEqual([{ id: 1, size: null }]);
  });

  it('after a migration changed the columns of a prepared `SELECT *`, fails it once in a transaction, then sends it unnamed', async () => {
    await runner.query('CREATE TABLE widened_in_transaction (id int)');
    await runner.query('INSERT INTO widened_in_transaction VALUES (1)');
    const select = 'SELECT * FROM widened_in_transaction WHERE id = $1';
    expect(await runner.query(select, [1])).toEqual([{ id: 1 }]);
    await runner.query('ALTER TABLE widened_in_transaction ADD COLUMN size int');

    await runner.startTransaction();
    await expect(runner.query(select, [1])).rejects.toThrow('cached plan must not change result type');
    await runner.rollbackTransaction();
    await runner.startTransaction();
    expect(await runner.query(select, [1])).toEqual([{ id: 1, size: null }]);
    await runner.commitTransaction();
  });

  it('starts over on a new connection after the old one was ended', async () => {
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    const text = 'SELECT $1::int - 1 AS n';
    const first = await pool.connect();
    await first.query(text, [1]);
    const [{ pid }] = (await first.query('SELECT pg_backend_pid() AS pid')).rows as Array<{ pid: number }>;
    const ended = new Promise<void>((resolve) => first.once('end', () => resolve()));
    await runner.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended;
    first.release(new Error('terminated'));

    const second = await pool.connect();
    try {
      expect((await second.query(text, [5])).rows).toEqual([{ n: 4 }]);
      const { rows } = await second.query(`SELECT statement FROM pg_prepared_statements WHERE name <> ''`);
      expect(rows).toEqual([{ statement: text }]);
    } finally {
      second.release(new Error('done with it'));
    }
  });

  it('prepares nothing when turned off (DATABASE_PREPARED_STATEMENTS=false)', async () => {
    const unprepared = new DataSource(
      postgresDataSourceOptions({ url: database.url, applicationName: 'preparing-client-spec-off', poolSize: 1, preparedStatements: false }),
    );
    await unprepared.initialize();
    const off = unprepared.createQueryRunner();
    try {
      expect(await off.query('SELECT $1::int + 1 AS n', [1])).toEqual([{ n: 2 }]);
      expect(await off.query('SELECT $1::int + 1 AS n', [2])).toEqual([{ n: 3 }]);
      expect(await preparedOn(off)).toEqual([]);
    } finally {
      await off.release();
      await unprepared.destroy();
    }
  });
});
