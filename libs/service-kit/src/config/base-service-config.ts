import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { parseSecretKey } from '../crypto/secret-box.js';

@ValidatorConstraint({ name: 'urlWithProtocol' })
export class UrlWithProtocol implements ValidatorConstraintInterface {
  validate(value: unknown, args?: ValidationArguments): boolean {
    if (typeof value !== 'string') return false;
    try {
      return (args?.constraints ?? []).includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }

  defaultMessage(args?: ValidationArguments): string {
    const protocols = (args?.constraints ?? []) as string[];
    return `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
  }
}

/** One to `max` secrets (comma-separated in the environment), each at least `minLength` characters. */
@ValidatorConstraint({ name: 'tokenList' })
export class TokenList implements ValidatorConstraintInterface {
  validate(value: unknown, args?: ValidationArguments): boolean {
    const [minLength, max] = (args?.constraints ?? []) as [number, number];
    return (
      Array.isArray(value) &&
      value.length >= 1 &&
      value.length <= max &&
      value.every((token) => typeof token === 'string' && token.length >= minLength)
    );
  }

  defaultMessage(args?: ValidationArguments): string {
    const [minLength, max] = (args?.constraints ?? []) as [number, number];
    const rotation = max > 1 ? ` (up to ${max} comma-separated during a rotation, none empty)` : '';
    return `is required: a token of at least ${minLength} characters${rotation}`;
  }
}

@ValidatorConstraint({ name: 'notAbove' })
export class NotAbove implements ValidatorConstraintInterface {
  validate(value: unknown, args?: ValidationArguments): boolean {
    const [other] = (args?.constraints ?? []) as string[];
    const limit = (args?.object as Record<string, unknown> | undefined)?.[other];
    // The other variable reports its own error when it is not a number.
    return typeof value !== 'number' || typeof limit !== 'number' || value <= limit;
  }

  defaultMessage(args?: ValidationArguments): string {
    const [other, why] = (args?.constraints ?? []) as string[];
    const limit = (args?.object as Record<string, unknown> | undefined)?.[other];
    return `must not exceed ${other} (${String(limit)})${why ? `: ${why}` : ''}`;
  }
}

/** A URL whose protocol is one of `protocols` (with the colon: `postgres:`). */
export const IsUrlWithProtocol = (...protocols: string[]) => Validate(UrlWithProtocol, protocols);

const toBoolean = ({ value }: { value: unknown }) =>
  value === true || value === 'true' || value === '1' ? true : value === false || value === 'false' || value === '0' ? false : value;

/** The shortest internal token a service accepts (`openssl rand -base64 48` gives 64 characters). */
export const INTERNAL_TOKEN_MIN_LENGTH = 32;

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value);

/** Reads `true`/`false`/`1`/`0` from the environment as a boolean (pair it with `@IsBoolean()`). */
export const TransformBoolean = () => Transform(toBoolean);

@ValidatorConstraint({ name: 'secretKey' })
export class SecretKeyFormat implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    try {
      return typeof value === 'string' && parseSecretKey(value).length === 32;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)';
  }
}

/** An AES-256 key in base64 (see parseSecretKey). */
export const IsSecretKey = () => Validate(SecretKeyFormat);

const toIntList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((part) => (part.trim() === '' ? NaN : Number(part))) : value;

/**
 * The environment every Skald service reads. A service extends it with its own variables.
 * Validated at start; the service refuses to start and names the variable when one is wrong.
 */
export class BaseServiceConfig {
  /** HTTP port (each service has its own default; 0 picks a free one). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number;

  /** The service's own database, e.g. postgres://user:pass@host:5432/skald_orders. Created if missing. */
  @IsUrlWithProtocol('postgres:', 'postgresql:')
  DATABASE_URL: string;

  @IsUrlWithProtocol('amqp:', 'amqps:')
  RABBITMQ_URL: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Run migrations on start (off when a Kubernetes migration Job runs them). */
  @Transform(toBoolean)
  @IsBoolean()
  DATABASE_MIGRATE_ON_START = true;

  /** Connections of the service's pool: at least MESSAGING_PREFETCH (one per message in flight), plus HTTP's share. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  /**
   * Parameterised statements as named prepared statements, parsed and planned once per connection
   * (at most 256 per connection). Off behind a transaction-pooling PgBouncer older than 1.21.
   */
  @Transform(toBoolean)
  @IsBoolean()
  DATABASE_PREPARED_STATEMENTS = true;

  /** How long to wait for a database connection (new, or free in the pool) before failing (503 on HTTP). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DATABASE_CONNECT_TIMEOUT_MS = 3_000;

  /**
   * Server-side limit of one statement (0: none). The client gives up on an unanswered query 5 s
   * later, so an unreachable database fails fast instead of hanging a request or a handler.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  DATABASE_STATEMENT_TIMEOUT_MS = 15_000;

  /**
   * Messages a replica handles concurrently. Each holds a database connection from delivery to
   * commit, so it may not exceed DATABASE_POOL_SIZE: more would wait on the pool, time out as if the
   * database were down and pause the consumer.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  @Validate(NotAbove, ['DATABASE_POOL_SIZE', 'each message in flight holds a database connection'])
  MESSAGING_PREFETCH = 16;

  /** Comma-separated delays before each retry of a failed handler; attempts = delays + 1. */
  @Transform(toIntList)
  @ArrayMinSize(0)
  @IsInt({ each: true, message: 'must be a comma-separated list of whole milliseconds' })
  @Min(1, { each: true, message: 'each delay must be at least 1 ms' })
  MESSAGING_RETRY_DELAYS_MS: number[] = [1_000, 10_000, 60_000, 300_000];

  /** A message redelivered this often (consumer crashes) is dead-lettered by the broker. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  MESSAGING_DELIVERY_LIMIT = 20;

  /**
   * The shared secret between the gateway and the services (header x-skald-internal-token).
   * Required: a service refuses every internal call without it, the gateway sends the first
   * entry. During a rotation two comma-separated tokens, `new,old`, are accepted (ADR 9).
   */
  @Transform(toList)
  @Validate(TokenList, [INTERNAL_TOKEN_MIN_LENGTH, 2])
  INTERNAL_API_TOKEN: string[];

  /** How long a SIGTERM waits for in-flight work before giving up. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 25_000;
}
