import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EnvelopeSchema, type MessageEnvelope } from '../envelope/envelope.js';
import type { PayloadClass } from '../registry/message-definition.js';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Flattens class-validator errors into `path: message` lines. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Validates a plain object against a contract class. Unknown properties are stripped, not
 * rejected: a contract only ever gains optional fields within a version, so an older consumer
 * must accept a newer producer's message.
 */
export function validateAgainst<T extends object>(cls: PayloadClass<T>, plain: unknown): ValidationResult<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: ['must be a JSON object'] };
  }
  const instance = plainToInstance(cls, plain, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) return { ok: false, errors: describeValidationErrors(errors) };
  return { ok: true, value: instance };
}

/** Validates the envelope part of a message (the payload is validated by its contract). */
export function validateEnvelope(plain: unknown): ValidationResult<MessageEnvelope<Record<string, unknown>>> {
  const result = validateAgainst(EnvelopeSchema, plain);
  if (!result.ok) return result;
  const value = result.value;
  return {
    ok: true,
    value: {
      id: value.id,
      type: value.type,
      version: value.version,
      occurredAt: value.occurredAt,
      correlationId: value.correlationId,
      causationId: value.causationId ?? null,
      tenantId: value.tenantId ?? null,
      // The raw payload, not the whitelisted copy: the contract class validates it next.
      payload: (plain as { payload: Record<string, unknown> }).payload,
    },
  };
}
