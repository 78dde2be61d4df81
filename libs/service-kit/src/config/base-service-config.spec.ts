import { BaseServiceConfig } from './base-service-config.js';
import { ConfigError, loadConfig } from './load-config.js';

const REQUIRED = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/skald_x',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  PORT: '0',
  INTERNAL_API_TOKEN: 'an-internal-token-of-at-least-32-characters',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig('svc', BaseServiceConfig, { ...REQUIRED, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('base service configuration: pool, prefetch and database timeouts', () => {
  it('has defaults that keep every message in flight on its own database connection', () => {
    const config = loadConfig('svc', BaseServiceConfig, REQUIRED);
    expect(config.MESSAGING_PREFETCH).toBeLessThanOrEqual(config.DATABASE_POOL_SIZE);
    expect(config).toMatchObject({ DATABASE_CONNECT_TIMEOUT_MS: 3_000, DATABASE_STATEMENT_TIMEOUT_MS: 15_000 });
  });

  it('refuses a prefetch above the pool size, naming both variables', () => {
    const problems = problemsOf({ MESSAGING_PREFETCH: '32', DATABASE_POOL_SIZE: '8' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^MESSAGING_PREFETCH: must not exceed DATABASE_POOL_SIZE \(8\).*\(got "32"\)$/);
  });

  it('accepts a prefetch equal to the pool size, and a pool raised for a larger prefetch', () => {
    expect(problemsOf({ MESSAGING_PREFETCH: '8', DATABASE_POOL_SIZE: '8' })).toEqual([]);
    expect(problemsOf({ MESSAGING_PREFETCH: '32' })).toEqual([expect.stringContaining('DATABASE_POOL_SIZE (20)')]);
    expect(problemsOf({ MESSAGING_PREFETCH: '32', DATABASE_POOL_SIZE: '40' })).toEqual([]);
  });

  it('reads the database timeouts, 0 switching the statement timeout off', () => {
    const config = loadConfig('svc', BaseServiceConfig, { ...REQUIRED, DATABASE_CONNECT_TIMEOUT_MS: '1500', DATABASE_STATEMENT_TIMEOUT_MS: '0' });
    expect(config).toMatchObject({ DATABASE_CONNECT_TIMEOUT_MS: 1_500, DATABASE_STATEMENT_TIMEOUT_MS: 0 });
    expect(problemsOf({ DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toEqual([expect.stringMatching(/^DATABASE_STATEMENT_TIMEOUT_MS: /)]);
  });

  it('prepares statements unless DATABASE_PREPARED_STATEMENTS is false', () => {
    expect(loadConfig('svc', BaseServiceConfig, REQUIRED).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(loadConfig('svc', BaseServiceConfig, { ...REQUIRED, DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS).toBe(false);
    expect(problemsOf({ DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toEqual([expect.stringMatching(/^DATABASE_PREPARED_STATEMENTS: /)]);
  });
});
