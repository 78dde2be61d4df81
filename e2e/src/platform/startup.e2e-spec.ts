import { dropDatabase } from '@skald/persistence';
import { newInternalToken, SERVICES } from '../../../scripts/lib/suite.mjs';
import { serviceEnv, uniqueDatabaseUrl } from '../../support/environment.mjs';
import { runToExit } from '../../support/processes.js';

const EXIT_CONFIG = 78;

describe('start-up configuration is validated and fails fast', () => {
  it.each(SERVICES.map((s) => s.name))('%s refuses to start without its database and broker URLs and its internal token, naming them', async (name) => {
    const result = await runToExit(name, 'dist/main.js', {});
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain(`Invalid configuration for ${name}:`);
    expect(result.stderr).toMatch(/- DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\/ \(not set\)/);
    expect(result.stderr).toMatch(/- RABBITMQ_URL: must be a URL starting with amqp:\/\/ or amqps:\/\/ \(not set\)/);
    expect(result.stderr).toMatch(/- INTERNAL_API_TOKEN: is required: a token of at least 32 characters.* \(not set\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names each malformed variable with the value it got', async () => {
    const result = await runToExit('orders', 'dist/main.js', {
      DATABASE_URL: 'mysql://db/orders',
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      MESSAGING_RETRY_DELAYS_MS: '100,soon',
      DATABASE_MIGRATE_ON_START: 'perhaps',
    });
    expect(result.code).toBe(EXIT_CONFIG);
    for (const variable of ['DATABASE_URL', 'PORT', 'LOG_LEVEL', 'MESSAGING_RETRY_DELAYS_MS', 'DATABASE_MIGRATE_ON_START']) {
      expect(result.stderr).toMatch(new RegExp(`- ${variable}: `));
    }
    expect(result.stderr).toContain('(got "mysql://db/orders")');
    expect(result.stderr).not.toContain('RABBITMQ_URL');
  });

  it('refuses an internal token shorter than 32 characters, naming the variable but not the value', async () => {
    const short = 'too-short-a-secret-0123456789';
    const result = await runToExit('warehouse', 'dist/main.js', { ...(await serviceEnv('warehouse')), INTERNAL_API_TOKEN: short });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain(`- INTERNAL_API_TOKEN: is required: a token of at least 32 characters`);
    expect(result.stderr).toContain(`(got ${short.length} characters, not shown)`);
    expect(result.stderr + result.stdout).not.toContain(short);
  });

  it('exits non-zero with a clear log line when the database server is unreachable', async () => {
    const result = await runToExit('inventory', 'dist/main.js', {
      ...(await serviceEnv('inventory')),
      INTERNAL_API_TOKEN: newInternalToken(),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/skald_inventory',
    });
    expect(result.code).toBe(1);
    const fatal = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((entry) => entry.level === 'fatal');
    expect(fatal).toMatchObject({ service: 'inventory', msg: expect.stringMatching(/^inventory failed to start: .*ECONNREFUSED/) });
  });
});

describe('the migration command', () => {
  it('creates the database, applies pending migrations once, and reports the state', async () => {
    const url = uniqueDatabaseUrl('warehouse');
    try {
      const first = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['run']);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/warehouse: [1-9]\d* migration\(s\) applied/);
      expect(first.stdout).toContain('+ MessagingTables1763800000000');

      const again = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['run']);
      expect(again.stdout).toContain('warehouse: 0 migration(s) applied');

      const show = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['show']);
      expect(show.stdout).toContain('warehouse: up to date');

      const wrong = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['sideways']);
      expect(wrong.code).toBe(64);
      expect(wrong.stdout).toContain('usage: migrate [run|revert|show]');
    } finally {
      await dropDatabase(url);
    }
  });
});
