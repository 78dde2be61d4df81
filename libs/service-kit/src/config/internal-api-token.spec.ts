import { BaseServiceConfig } from './base-service-config.js';
import { ConfigError, loadConfig } from './load-config.js';

const REQUIRED = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/kit', RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672', PORT: '0' };
const TOKEN = 'a'.repeat(31) + 'Z';
const OTHER = 'b'.repeat(40);

function problemsWith(env: Record<string, string>): string[] {
  try {
    loadConfig('kit', BaseServiceConfig, { ...REQUIRED, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('INTERNAL_API_TOKEN (a service does not start without it)', () => {
  it('is required, and the error names the variable', () => {
    expect(problemsWith({})).toEqual([expect.stringMatching(/^INTERNAL_API_TOKEN: is required: a token of at least 32 characters.*\(not set\)$/)]);
    expect(problemsWith({ INTERNAL_API_TOKEN: '' })).toEqual([expect.stringMatching(/^INTERNAL_API_TOKEN: .*\(not set\)$/)]);
  });

  it('refuses a token shorter than 32 characters, naming the variable without repeating the value', () => {
    const short = 'c'.repeat(31);
    const problems = problemsWith({ INTERNAL_API_TOKEN: short });
    expect(problems).toEqual([expect.stringMatching(/^INTERNAL_API_TOKEN: is required: a token of at least 32 characters/)]);
    expect(problems[0]).toContain('(got 31 characters, not shown)');
    expect(problems[0]).not.toContain(short);
  });

  it('refuses an empty entry, a short second token and a third token', () => {
    for (const value of [`${TOKEN},`, `,${TOKEN}`, `${TOKEN},,${OTHER}`, `${TOKEN},short`, `${TOKEN},${OTHER},${'d'.repeat(32)}`]) {
      expect(problemsWith({ INTERNAL_API_TOKEN: value })).toEqual([expect.stringMatching(/^INTERNAL_API_TOKEN: /)]);
    }
  });

  it('takes one token, or two comma-separated during a rotation (new first)', () => {
    expect(loadConfig('kit', BaseServiceConfig, { ...REQUIRED, INTERNAL_API_TOKEN: TOKEN }).INTERNAL_API_TOKEN).toEqual([TOKEN]);
    expect(loadConfig('kit', BaseServiceConfig, { ...REQUIRED, INTERNAL_API_TOKEN: `${OTHER}, ${TOKEN}` }).INTERNAL_API_TOKEN).toEqual([OTHER, TOKEN]);
  });
});
