import pg from 'pg';
import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { samplerFromEnv, withoutLiterals } from './sdk.js';

describe('query text in spans', () => {
  it('masks string literals as the outbox inlines them (quotes, backslashes, E-strings), keeping the statement', () => {
    const client = new pg.Client();
    const envelope = JSON.stringify({ customer: { name: "O'Brien", email: 'buyer@example.test' }, note: 'back\\slash' });
    const sql = `INSERT INTO outbox_message (id, envelope) VALUES (${client.escapeLiteral('id-1')}, ${client.escapeLiteral(envelope)}); COMMIT`;

    const masked = withoutLiterals(sql);

    expect(masked).toBe(`INSERT INTO outbox_message (id, envelope) VALUES ('?',  E'?'); COMMIT`);
    expect(masked).not.toContain('example.test');
  });

  it('leaves parameterised queries as they are', () => {
    expect(withoutLiterals('SELECT id FROM orders WHERE id = $1')).toBe('SELECT id FROM orders WHERE id = $1');
  });
});

describe('sampler from OTEL_TRACES_SAMPLER', () => {
  it('defaults to parent-based, always on; reads the named samplers and their ratio', () => {
    const byDefault = samplerFromEnv({});
    expect(byDefault).toBeInstanceOf(ParentBasedSampler);
    expect(byDefault.toString()).toContain('root=AlwaysOnSampler');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' })).toBeInstanceOf(AlwaysOffSampler);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).toString()).toBe(new TraceIdRatioBasedSampler(0.25).toString());
  });
});
