import { envelopeIdsOf, redactSecrets, traceIdOf } from './dead-letter-facts.js';

describe('dead-letter facts', () => {
  it('reads the trace id of a W3C traceparent, and nothing of a malformed or all-zero one', () => {
    expect(traceIdOf({ traceparent: '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01' })).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' })).toBeUndefined();
    expect(traceIdOf({ traceparent: 'not-a-traceparent' })).toBeUndefined();
    expect(traceIdOf({ traceparent: 42 })).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });

  it('reads correlation and tenant ids loosely from a body that may not be an envelope, or not JSON', () => {
    expect(envelopeIdsOf('{"correlationId":"c-1","tenantId":"t-1","payload":{}}')).toEqual({ correlationId: 'c-1', tenantId: 't-1' });
    expect(envelopeIdsOf(Buffer.from('{"correlationId":7}'))).toEqual({ correlationId: undefined, tenantId: undefined });
    expect(envelopeIdsOf('null')).toEqual({ correlationId: undefined, tenantId: undefined });
    expect(envelopeIdsOf('not json')).toEqual({});
  });

  it('redacts secret-looking fields at any depth, leaving the rest as it is', () => {
    const body = { payload: { url: 'https://x.test', secret: 'whsec_1', nested: [{ apiKey: 'k', password: 'p', keep: 1 }], encryptedSecret: 'sealed' } };
    expect(redactSecrets(body)).toEqual({
      payload: { url: 'https://x.test', secret: '[redacted]', nested: [{ apiKey: '[redacted]', password: '[redacted]', keep: 1 }], encryptedSecret: 'sealed' },
    });
    expect(redactSecrets('text')).toBe('text');
  });
});
