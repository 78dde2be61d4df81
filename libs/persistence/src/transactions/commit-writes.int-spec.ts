import { DataSource, type EntityManager, type Logger, type QueryRunner } from 'typeorm';
import { postgresDataSourceOptions } from '../database/data-source-options.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { sendWithCommit, writeWithCommit, type CommitWriter } from './commit-writes.js';

/** Every statement the data source sends, as TypeORM's query runner sends it. */
class StatementLog implements Logger {
  statements: string[] = [];
  logQuery(query: string): void {
    this.statements.push(query);
  }
  // The rest is not what this spec looks at.
  logQueryError = () => undefined;
  logQuerySlow = () => undefined;
  logSchemaBuild = () => undefined;
  logMigration = () => undefined;
  log = () => undefined;
}

describe('writes that travel with the COMMIT (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  const log = new StatementLog();
  /** What the writers were told had committed. */
  let committed: string[] = [];

  /** Writes rows of `written` of one kind, as the outbox and the saga steps do. */
  const writer = (kind: string): CommitWriter<string> => ({
    statement: (items, client) => `INSERT INTO written (kind, item) VALUES ${items.map((item) => `('${kind}', ${client.escapeLiteral(item)})`).join(', ')}`,
    committed: (items) => committed.push(...items),
  });
  const notes = writer('note');
  const others = writer('other');
  const write = (manager: EntityManager, item: string, kind = notes) => writeWithCommit(manager.queryRunner as QueryRunner, kind, item);
  const rows = async () => ((await dataSource.query(`SELECT item FROM written ORDER BY seq`)) as Array<{ item: string }>).map((row) => row.item);

  beforeAll(async () => {
    database = await createScratchDatabase('commit_writes');
    dataSource = new DataSource({ ...postgresDataSourceOptions({ url: database.url, applicationName: 'commit-writes-spec', poolSize: 3 }), logger: log });
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE written (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text NOT NULL, item text NOT NULL CHECK (item NOT LIKE 'doomed%'))`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });
  beforeEach(async () => {
    await dataSource.query(`TRUNCATE written`);
    committed = [];
    log.statements = [];
  });

  it("sends each writer's items as one multi-row INSERT with the COMMIT, in the order added, the last statements after them", async () => {
    const awkward = `it's a "quote" \\ and a newline\n ünïcødé $1`;
    await dataSource.transaction(async (manager) => {
      write(manager, 'first');
      write(manager, 'other', others);
      write(manager, awkward);
      // Sees what the writers wrote before it: it runs after them.
      sendWithCommit(manager.queryRunner!, `INSERT INTO written (kind, item) SELECT 'last', count(*)::text FROM written`);
      write(manager, 'third');
      // Nothing written while the transaction is under way.
      expect(await manager.query(`SELECT count(*)::int AS n FROM written`)).toEqual([{ n: 0 }]);
    });

    expect(await rows()).toEqual(['first', awkward, 'third', 'other', '4']);
    expect(committed).toEqual(['first', awkward, 'third', 'other']);
    const inserts = log.statements.filter((statement) => statement.includes('INSERT INTO written'));
    expect(inserts).toHaveLength(1);
    expect(inserts[0].split('; ').map((statement) => statement.slice(0, 30))).toEqual([
      'INSERT INTO written (kind, ite',
      'INSERT INTO written (kind, ite',
      'INSERT INTO written (kind, ite',
      'COMMIT',
    ]);
  });

  it("writes nothing of a rolled-back transaction or savepoint, and keeps a released savepoint's writes", async () => {
    await dataSource.transaction(async (manager) => {
      write(manager, 'outer, before');
      await expect(
        manager.transaction(async (inner) => {
          write(inner, 'savepoint, rolled back');
          throw new Error('inner step failed');
        }),
      ).rejects.toThrow('inner step failed');
      await manager.transaction(async (inner) => {
        write(inner, 'savepoint, released');
        await inner.transaction(async (innermost) => write(innermost, 'nested savepoint, released'));
      });
      // A sibling savepoint at the released one's depth, rolled back: only its own writes go.
      await expect(
        manager.transaction(async (inner) => {
          write(inner, 'sibling savepoint, rolled back');
          throw new Error('sibling failed');
        }),
      ).rejects.toThrow('sibling failed');
      write(manager, 'outer, after');
    });
    await expect(
      dataSource.transaction(async (manager) => {
        write(manager, 'transaction, rolled back');
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    const kept = ['outer, before', 'savepoint, released', 'nested savepoint, released', 'outer, after'];
    expect(await rows()).toEqual(kept);
    expect(committed).toEqual(kept);
  });

  it("writes nothing when the COMMIT fails, and the runner's next transaction writes only its own", async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`INSERT INTO written (kind, item) VALUES ('state', 'changed by the failed transaction')`);
      write(runner.manager, 'before the doomed one');
      write(runner.manager, 'doomed');
      await expect(runner.commitTransaction()).rejects.toThrow(/check constraint/);
      await runner.rollbackTransaction();

      await runner.startTransaction();
      write(runner.manager, 'next transaction');
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }

    expect(await rows()).toEqual(['next transaction']);
    expect(committed).toEqual(['next transaction']);
  });

  it('refuses a write outside a transaction (the caller writes at once there)', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      expect(() => writeWithCommit(runner, notes, 'nowhere')).toThrow(/needs a transaction/);
    } finally {
      await runner.release();
    }
  });
});
