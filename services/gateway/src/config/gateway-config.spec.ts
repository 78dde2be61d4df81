import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@skald/service-kit';
import { GatewayConfig } from './gateway-config.js';

const required = {
  PORT: '0',
  DATABASE_URL: 'postgres://u@localhost/gateway',
  RABBITMQ_URL: 'amqp://localhost',
  INTERNAL_API_TOKEN: 'an-internal-token-of-at-least-32-characters',
  WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig('gateway', GatewayConfig, { ...required, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('GatewayConfig: rate limits', () => {
  it('allows 100 requests a second, 200 at once, and 20 failed authentications a minute unless told otherwise', () => {
    expect(loadConfig('gateway', GatewayConfig, required)).toMatchObject({
      RATE_LIMIT_PER_SECOND: 100,
      RATE_LIMIT_BURST: 200,
      AUTH_FAILURE_LIMIT: 20,
      AUTH_FAILURE_BLOCK_SECONDS: 60,
    });
    expect(loadConfig('gateway', GatewayConfig, { ...required, RATE_LIMIT_PER_SECOND: '7', RATE_LIMIT_BURST: '7' })).toMatchObject({
      RATE_LIMIT_PER_SECOND: 7,
      RATE_LIMIT_BURST: 7,
    });
  });

  it('names every invalid variable, and a burst below the rate', () => {
    expect(problemsOf({ RATE_LIMIT_PER_SECOND: '0', AUTH_FAILURE_LIMIT: 'many', AUTH_FAILURE_BLOCK_SECONDS: '1.5' }).map((p) => p.split(':')[0])).toEqual([
      'RATE_LIMIT_PER_SECOND',
      'AUTH_FAILURE_LIMIT',
      'AUTH_FAILURE_BLOCK_SECONDS',
    ]);
    expect(problemsOf({ RATE_LIMIT_PER_SECOND: '50', RATE_LIMIT_BURST: '40' })).toEqual([
      expect.stringMatching(/^RATE_LIMIT_BURST: .*must be at least RATE_LIMIT_PER_SECOND/),
    ]);
  });

  it('takes TRUST_PROXY as a hop count or proxy addresses, subnets and presets, never "trust everyone"', () => {
    expect(loadConfig('gateway', GatewayConfig, required).TRUST_PROXY).toBeUndefined();
    expect(problemsOf({ TRUST_PROXY: '1' })).toEqual([]);
    expect(problemsOf({ TRUST_PROXY: 'loopback, 10.0.0.0/8, 192.168.1.5, fd00::/8' })).toEqual([]);
    for (const wrong of ['true', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1/8/1']) {
      expect({ wrong, problems: problemsOf({ TRUST_PROXY: wrong }).map((p) => p.split(':')[0]) }).toEqual({ wrong, problems: ['TRUST_PROXY'] });
    }
  });
});

describe('GatewayConfig: webhook sealing key', () => {
  it('refuses a key that is not 32 bytes without repeating it', () => {
    const problems = problemsOf({ WEBHOOK_SECRET_KEY: 'not-a-key-but-a-secret-all-the-same' });
    expect(problems).toEqual([expect.stringMatching(/^WEBHOOK_SECRET_KEY: .*\(got 35 characters, not shown\)$/)]);
  });
});

describe('GatewayConfig: upstreams', () => {
  it('finds the four owning services on their default local ports unless told otherwise, and takes only http(s) URLs', () => {
    expect(loadConfig('gateway', GatewayConfig, required)).toMatchObject({
      ORDERS_URL: 'http://127.0.0.1:3001',
      INVENTORY_URL: 'http://127.0.0.1:3002',
      WAREHOUSE_URL: 'http://127.0.0.1:3003',
      RETURNS_URL: 'http://127.0.0.1:3004',
    });
    expect(loadConfig('gateway', GatewayConfig, { ...required, RETURNS_URL: 'http://returns:3004' }).RETURNS_URL).toBe('http://returns:3004');
    expect(problemsOf({ RETURNS_URL: 'ftp://returns:3004' }).map((p) => p.split(':')[0])).toEqual(['RETURNS_URL']);
  });
});
