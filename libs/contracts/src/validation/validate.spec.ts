import { randomUUID } from 'node:crypto';
import { IsInt, IsNumber, IsOptional, IsString, Min } from 'class-validator';
import { defineEvent, MessageRegistry } from '../registry/message-definition.js';
import { validateAgainst, validateEnvelope } from './validate.js';

class StockCounted {
  @IsString()
  sku: string;

  @IsInt()
  @Min(0)
  onHand: number;

  @IsOptional()
  @IsString()
  note?: string;
}

class PriceSet {
  @IsNumber({ maxDecimalPlaces: 2 })
  price: number;
}

describe('contract validation', () => {
  const envelope = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    type: 'inventory.stock.counted',
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'saga-1',
    causationId: null,
    tenantId: null,
    payload: { sku: 'A-1', onHand: 3 },
    ...overrides,
  });

  it('accepts a well-formed envelope and keeps the raw payload for its contract', () => {
    const result = validateEnvelope(envelope());
    expect(result).toMatchObject({ ok: true, value: { type: 'inventory.stock.counted', version: 1, payload: { sku: 'A-1' } } });
  });

  it.each([
    ['a non-UUID id', { id: 'nope' }, 'id'],
    ['a missing correlation id', { correlationId: undefined }, 'correlationId'],
    ['a bad type', { type: 'Inventory Stock' }, 'type'],
    ['a zero version', { version: 0 }, 'version'],
    ['a non-object payload', { payload: 'x' }, 'payload'],
    ['a non-ISO time', { occurredAt: 'yesterday' }, 'occurredAt'],
    ['a NUL in the correlation id', { correlationId: 'saga\u00001' }, 'correlationId'],
    ['a control character in the tenant id', { tenantId: 'tenant\u001b' }, 'tenantId'],
  ])('rejects %s', (_label, overrides, field) => {
    const result = validateEnvelope(envelope(overrides));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.some((e) => e.startsWith(`${field}:`))).toBe(true);
  });

  it('rejects non-objects outright', () => {
    expect(validateEnvelope('[]')).toEqual({ ok: false, errors: ['must be a JSON object'] });
    expect(validateAgainst(StockCounted, [1, 2])).toEqual({ ok: false, errors: ['must be a JSON object'] });
  });

  it.each([
    ['a NUL', { sku: 'A\u00001', onHand: 1 }, 'sku'],
    ['an escape character', { sku: 'A-1', onHand: 1, note: 'x\u001b[31m' }, 'note'],
    ['a C1 control', { sku: 'A-1', onHand: 1, note: 'x\u0085' }, 'note'],
    ['a lone surrogate', { sku: 'A-1', onHand: 1, note: 'x\ud800' }, 'note'],
  ])('refuses a payload whose text holds %s (dead-lettered as invalid, never reaching the database)', (_label, payload, field) => {
    const result = validateAgainst(StockCounted, payload);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(new RegExp(`^${field}: `));
  });

  it('calls a payload invalid when a validator throws on it (1e-7 against maxDecimalPlaces), rather than failing the handler', () => {
    expect(validateAgainst(PriceSet, { price: 1e-7 })).toEqual({ ok: false, errors: [expect.stringMatching(/^the payload could not be validated: /)] });
    expect(validateAgainst(PriceSet, { price: 1.25 }).ok).toBe(true);
  });

  it('accepts TAB, LF, CR and any printable Unicode in a payload', () => {
    expect(validateAgainst(StockCounted, { sku: 'A-1', onHand: 1, note: 'line 1\r\n\tline 2 — ünïcødé 😀' }).ok).toBe(true);
  });

  it('validates a payload against its class and tolerates fields a newer producer added', () => {
    const result = validateAgainst(StockCounted, { sku: 'A-1', onHand: 2, addedInV1_1: true });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toBeInstanceOf(StockCounted);
    expect(result.ok && 'addedInV1_1' in result.value).toBe(false);
    expect(validateAgainst(StockCounted, { sku: 'A-1', onHand: -1 })).toEqual({
      ok: false,
      errors: ['onHand: onHand must not be less than 0'],
    });
  });

  it('derives routing keys and exchanges, and refuses conflicting or malformed definitions', () => {
    const counted = defineEvent({ type: 'spec.stock.counted', version: 3, owner: 'inventory', summary: 's', payload: StockCounted });
    expect(counted).toMatchObject({ routingKey: 'spec.stock.counted.v3', exchange: 'skald.events', kind: 'event' });
    const registry = new MessageRegistry();
    registry.register(counted);
    expect(() => registry.register({ ...counted, payload: class Other {} })).toThrow('defined twice');
    expect(() => defineEvent({ type: 'NoDots', version: 1, owner: 'x', summary: 's', payload: StockCounted })).toThrow();
    expect(() => defineEvent({ type: 'a.b', version: 0, owner: 'x', summary: 's', payload: StockCounted })).toThrow();
  });
});
