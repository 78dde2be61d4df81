import { randomUUID } from 'node:crypto';
import { SkaldError } from '@skald/contracts';
import { createScratchDatabase, postgresDataSourceOptions, runMigrations, type ScratchDatabase } from '@skald/persistence';
import { waitFor } from '@skald/messaging';
import { DataSource } from 'typeorm';
import type { IdempotentCall } from './idempotent-call.js';
import { IdempotentRequestRepository } from './idempotent-request.repository.js';
import { IdempotentRequests } from './idempotent-requests.js';
import { idempotentRequestMigrations } from './migrations/1763800000100-idempotent-request.js';

describe('IdempotentRequests (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  let requests: IdempotentRequests;

  beforeAll(async () => {
    database = await createScratchDatabase('kit_idempotency');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'kit-idempotency-spec', migrations: idempotentRequestMigrations }));
    await dataSource.initialize();
    await runMigrations(dataSource);
    await dataSource.query(`CREATE TABLE effect (id serial PRIMARY KEY, label text NOT NULL)`);
    requests = new IdempotentRequests(dataSource, new IdempotentRequestRepository());
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  function aCall(key: string, body = 'same'): IdempotentCall & { replayed: boolean } {
    const call = {
      key,
      route: 'POST /v1/things',
      requestHash: body,
      statusCode: 201,
      replayed: false,
      markReplayed: () => (call.replayed = true),
    };
    return call;
  }
  const effectsOf = async (label: string) => (await dataSource.query(`SELECT id FROM effect WHERE label = $1`, [label])).length;
  const waitingOnLocks = async () =>
    Number((await dataSource.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].count);

  it('lets a duplicate that waited for a first attempt that failed run the effect itself, once', async () => {
    const [key, label] = [randomUUID(), randomUUID()];
    let fail!: () => void;
    const failing = new Promise<void>((_resolve, reject) => (fail = () => reject(new SkaldError('REFUSED', 'refused', { retryable: false }))));
    let holding = false;
    const first = requests.transaction(aCall(key), async (manager) => {
      holding = true;
      await manager.query(`INSERT INTO effect (label) VALUES ($1)`, [label]);
      await failing;
      return { first: true };
    });
    // Its work runs once the key is inserted (not committed).
    await waitFor('the first attempt to hold the key', () => holding);
    const duplicate = aCall(key);
    const second = requests.transaction(duplicate, async (manager) => {
      await manager.query(`INSERT INTO effect (label) VALUES ($1)`, [label]);
      return { second: true };
    });
    await waitFor('the duplicate to wait on the key', async () => (await waitingOnLocks()) > 0);
    fail();

    await expect(first).rejects.toMatchObject({ code: 'REFUSED' });
    await expect(second).resolves.toEqual({ second: true });
    expect(duplicate.replayed).toBe(false);
    expect(await effectsOf(label)).toBe(1);
    expect(await dataSource.query(`SELECT status_code, response FROM idempotent_request WHERE key = $1`, [key])).toEqual([
      { status_code: 201, response: { second: true } },
    ]);
  });

  it('answers a duplicate that waited for a first attempt that committed with its outcome, running nothing', async () => {
    const [key, label] = [randomUUID(), randomUUID()];
    let finish!: () => void;
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    let holding = false;
    const first = requests.transaction(aCall(key), async (manager) => {
      holding = true;
      await manager.query(`INSERT INTO effect (label) VALUES ($1)`, [label]);
      await finishing;
      return { attempt: 'first' };
    });
    await waitFor('the first attempt to hold the key', () => holding);
    const duplicate = aCall(key);
    let ran = false;
    const second = requests.transaction(duplicate, async () => {
      ran = true;
      return { attempt: 'second' };
    });
    await waitFor('the duplicate to wait on the key', async () => (await waitingOnLocks()) > 0);
    finish();

    await expect(first).resolves.toEqual({ attempt: 'first' });
    await expect(second).resolves.toEqual({ attempt: 'first' });
    expect(duplicate.replayed).toBe(true);
    expect(ran).toBe(false);
    expect(await effectsOf(label)).toBe(1);
  });

  it('records the key and the outcome in the effect\'s transaction: when the outcome cannot be stored, nothing commits', async () => {
    const [stored, lost] = [randomUUID(), randomUUID()];
    await requests.transaction(aCall(stored), async (manager) => {
      await manager.query(`INSERT INTO effect (label) VALUES ($1)`, [stored]);
      return { note: "it's \\ quoted" };
    });
    expect(await dataSource.query(`SELECT route, request_hash, status_code, response FROM idempotent_request WHERE key = $1`, [stored])).toEqual([
      { route: 'POST /v1/things', request_hash: 'same', status_code: 201, response: { note: "it's \\ quoted" } },
    ]);

    // The outcome's update goes out with the COMMIT: when it fails, the commit does not happen.
    await dataSource.query(`ALTER TABLE idempotent_request ADD CONSTRAINT no_created CHECK (status_code <> 201) NOT VALID`);
    try {
      await expect(
        requests.transaction(aCall(lost), async (manager) => {
          await manager.query(`INSERT INTO effect (label) VALUES ($1)`, [lost]);
          return { ok: true };
        }),
      ).rejects.toThrow(/no_created/);
    } finally {
      await dataSource.query(`ALTER TABLE idempotent_request DROP CONSTRAINT no_created`);
    }
    expect(await effectsOf(lost)).toBe(0);
    expect(await dataSource.query(`SELECT key FROM idempotent_request WHERE key = $1`, [lost])).toEqual([]);
    // The connection went back to the pool in a usable state: the retry runs and records.
    await expect(requests.transaction(aCall(lost), async () => ({ ok: true }))).resolves.toEqual({ ok: true });
  });

  it('refuses the key for another body, and runs every call without a key', async () => {
    const key = randomUUID();
    await requests.transaction(aCall(key, 'one body'), async () => ({ ok: true }));

    await expect(requests.transaction(aCall(key, 'another body'), async () => ({ ok: true }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const label = randomUUID();
    const unkeyed = { ...aCall(key), key: undefined };
    for (let i = 0; i < 2; i++) await requests.transaction(unkeyed, (manager) => manager.query(`INSERT INTO effect (label) VALUES ($1)`, [label]));
    expect(await effectsOf(label)).toBe(2);
  });
});
