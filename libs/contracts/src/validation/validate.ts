import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { MessageEnvelope } from '../envelope/envelope.js';
import type { PayloadClass } from '../registry/message-definition.js';
import { compiledValidator } from './compiled-validation.js';
import { findHostileInput, textProblem } from './input-screening.js';
import { cacheValidationMetadata } from './metadata-cache.js';

cacheValidationMetadata();

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
 * must accept a newer producer's message. A control character, a lone surrogate or nesting beyond
 * MAX_JSON_DEPTH anywhere makes it invalid too: such a message would otherwise fail at the database
 * and be retried as a handler failure instead of being dead-lettered at once.
 *
 * A valid payload of a compiled class is accepted by its compiled validator (compiled-validation.ts:
 * the same instance, without interpreting the decorators per message); anything it is not sure of,
 * invalid payloads included, goes through class-transformer and class-validator, whose messages
 * are the answer.
 */
export function validateAgainst<T extends object>(cls: PayloadClass<T>, plain: unknown): ValidationResult<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: ['must be a JSON object'] };
  }
  const hostile = findHostileInput(plain);
  if (hostile) return { ok: false, errors: [`${hostile.field}: ${hostile.message}`] };
  const accepted = compiledValidator(cls)?.(plain as Record<string, unknown>);
  if (accepted) return { ok: true, value: accepted };
  return validateWithClassValidator(cls, plain);
}

/**
 * validateAgainst's interpreted path (after the screening): plainToInstance, then validateSync
 * with whitelist and forbidUnknownValues. Exported for the specs and the benchmark that compare
 * it with the compiled path.
 */
export function validateWithClassValidator<T extends object>(cls: PayloadClass<T>, plain: object): ValidationResult<T> {
  const instance = plainToInstance(cls, plain, { exposeDefaultValues: true });
  let errors: ValidationError[];
  try {
    errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  } catch (error) {
    // A validator that throws on odd input (class-validator's maxDecimalPlaces on 1e-7) means the
    // payload is invalid, not that the handler failed: dead-lettered at once, never retried.
    return { ok: false, errors: [`the payload could not be validated: ${(error as Error).message}`] };
  }
  if (errors.length > 0) return { ok: false, errors: describeValidationErrors(errors) };
  return { ok: true, value: instance };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// Envelope ids land in text columns (inbox, logs): a control character there would fail at the database.
const isText = (value: unknown, max = 200): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max && textProblem(value) === undefined;

/**
 * Validates the envelope part of a message (the payload is validated by its contract next). The
 * envelope is the same for every message and checked on every delivery, so this is plain code
 * rather than a class-validator class: it is on the consumer's hot path.
 */
export function validateEnvelope(plain: unknown): ValidationResult<MessageEnvelope<Record<string, unknown>>> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: ['must be a JSON object'] };
  }
  const e = plain as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof e.id !== 'string' || !UUID.test(e.id)) errors.push('id: id must be a UUID');
  if (!isText(e.type) || !TYPE.test(e.type)) errors.push('type: type must be dot-separated lowercase words');
  if (typeof e.version !== 'number' || !Number.isInteger(e.version) || e.version < 1) {
    errors.push('version: version must be an integer of at least 1');
  }
  if (typeof e.occurredAt !== 'string' || !ISO_TIME.test(e.occurredAt) || Number.isNaN(Date.parse(e.occurredAt))) {
    errors.push('occurredAt: occurredAt must be an ISO 8601 date-time');
  }
  if (!isText(e.correlationId)) errors.push('correlationId: correlationId must be a non-empty string of at most 200 characters, without control characters');
  for (const field of ['causationId', 'tenantId'] as const) {
    const value = e[field];
    if (value !== undefined && value !== null && !isText(value)) {
      errors.push(`${field}: ${field} must be null or a non-empty string of at most 200 characters, without control characters`);
    }
  }
  if (e.payload === null || typeof e.payload !== 'object' || Array.isArray(e.payload)) errors.push('payload: payload must be an object');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id: e.id as string,
      type: e.type as string,
      version: e.version as number,
      occurredAt: e.occurredAt as string,
      correlationId: e.correlationId as string,
      causationId: (e.causationId as string | null | undefined) ?? null,
      tenantId: (e.tenantId as string | null | undefined) ?? null,
      payload: e.payload as Record<string, unknown>,
    },
  };
}
