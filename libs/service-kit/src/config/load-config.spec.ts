import { BaseServiceConfig } from './base-service-config.js';
import { ConfigError, loadConfig } from './load-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig('svc', BaseServiceConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration errors never repeat a secret', () => {
  it('shows a malformed URL without its password', () => {
    const problems = problemsOf({ PORT: '0', DATABASE_URL: 'mysql://app:s3cr3t-pa55@db/orders', RABBITMQ_URL: 'amqq://guest:hunter2@mq', INTERNAL_API_TOKEN: 'x'.repeat(40) });
    expect(problems).toEqual([
      'DATABASE_URL: must be a URL starting with postgres:// or postgresql:// (got "mysql://app:***@db/orders")',
      'RABBITMQ_URL: must be a URL starting with amqp:// or amqps:// (got "amqq://guest:***@mq")',
    ]);
    expect(problems.join('\n')).not.toMatch(/s3cr3t|hunter2/);
  });

  it('shows only the length of a token, secret, password or key', () => {
    const problems = problemsOf({ PORT: '0', DATABASE_URL: 'postgres://db/x', RABBITMQ_URL: 'amqp://mq', INTERNAL_API_TOKEN: 'short-token' });
    expect(problems).toEqual([expect.stringMatching(/^INTERNAL_API_TOKEN: .*\(got 11 characters, not shown\)$/)]);
  });
});
