import {
  BadRequestException,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { Reflector } from '@nestjs/core';
import { isDatabaseUnavailable } from '@skald/persistence';
import { scopedIdempotencyKey, type Caller } from '@skald/service-kit';
import type { Request, Response } from 'express';
import { defaultIfEmpty, from, lastValueFrom, of, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Reply } from '../http/reply.js';
import type { StoredResponse } from './idempotency-record.entity.js';
import type { ClaimedRecord } from './idempotency.repository.js';
import { IdempotencyService, type IdempotencyOutcome } from './idempotency.service.js';
import { IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_OMIT_FROM_REPLAY } from './idempotent-options.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

const VALID_KEY = /^[\x20-\x7e]{1,255}$/;
const GUARDED_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Failures after which the owning service may or may not have acted on the request. */
const OUTCOME_UNKNOWN = new Set(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_BAD_RESPONSE']);
/** When a client should retry a request whose outcome is unknown (with the same key). */
const RETRY_AFTER_SECONDS = '1';
/**
 * Waits between tries of the bookkeeping after a forward (storing the answer, letting go of the
 * key) while the gateway's database is unreachable: a cut connection or a failover is waited out
 * for about four seconds, so that the key is not left in progress (409 to its retries) until it
 * goes stale a minute later.
 */
const BOOKKEEPING_RETRY_DELAYS_MS = [100, 250, 500, 1_000, 2_000];

const serviceKeys = new WeakMap<Request, string>();

/**
 * The key the gateway forwards to the owning service with a request it runs under an
 * Idempotency-Key (`platform:<tenantId>:<key>` or `staff:<keyId>:<key>`): the same on every
 * attempt of that request, so the service answers a repeat with its first outcome.
 */
export function serviceIdempotencyKey(req: Request): string | undefined {
  return serviceKeys.get(req);
}

/** Idempotency keys are per tenant for platform keys (any of its keys), per key for staff. */
export function idempotencyScope(caller: Caller): string {
  return caller.kind === 'platform' && caller.tenantId ? `tenant:${caller.tenantId}` : `key:${caller.principalId}`;
}

/**
 * Applies `Idempotency-Key` to a POST, PUT or PATCH (see IdempotencyService). Runs after authentication
 * (the scope is the caller's) and before validation. Upstream 2xx and 4xx answers are stored and
 * replayed. A request the gateway refuses (bad body, its own errors) is forgotten, so the client
 * may retry with the same key. A request whose outcome is unknown (upstream timeout, reset, 5xx)
 * keeps its key in progress, bound to that request: its retry forwards again with the same
 * service key (ADR 0012), and the service's answer becomes the stored outcome.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.headers[IDEMPOTENCY_KEY_HEADER];
    if (!GUARDED_METHODS.has(req.method)) return next.handle();
    if (key === undefined) {
      if (!this.reflector.get<boolean | undefined>(IDEMPOTENCY_KEY_REQUIRED, context.getHandler())) return next.handle();
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        detail: 'This operation needs an Idempotency-Key, so that a retry does not act twice.',
        errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key is required' }],
      });
    }
    if (typeof key !== 'string' || !VALID_KEY.test(key)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        detail: 'The request is invalid; see errors.',
        errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 printable ASCII characters' }],
      });
    }
    if (!req.caller) throw new Error('IdempotencyInterceptor runs on authenticated routes only');

    const manager = this.dataSource.manager;
    let outcome: IdempotencyOutcome;
    try {
      outcome = await this.idempotency.begin(manager, {
        scope: idempotencyScope(req.caller),
        key,
        method: req.method,
        path: req.originalUrl,
        body: req.body as unknown,
      });
    } catch (error) {
      if (error instanceof SkaldError && error.code === 'IDEMPOTENCY_KEY_IN_USE') res.setHeader('Retry-After', '1');
      throw error;
    }
    if (outcome.kind === 'replay') {
      const stored = outcome.response;
      return of(new Reply(stored.status, stored.body ?? undefined, stored.headers).withHeader(REPLAYED_HEADER, 'true'));
    }
    const record = outcome.record;
    const omit = this.reflector.get<string[] | undefined>(IDEMPOTENCY_OMIT_FROM_REPLAY, context.getHandler()) ?? [];
    serviceKeys.set(req, scopedIdempotencyKey(req.caller, key));
    // Settled in a promise, not in the observable chain: recording the outcome must finish even
    // when the client hangs up and Nest unsubscribes.
    return from(this.run(record, () => lastValueFrom(next.handle().pipe(defaultIfEmpty(undefined))), res, omit));
  }

  private async run(record: ClaimedRecord, handle: () => Promise<unknown>, res: Response, omit: string[]): Promise<Reply> {
    let result: unknown;
    try {
      result = await handle();
    } catch (error) {
      if (error instanceof SkaldError && OUTCOME_UNKNOWN.has(error.code)) {
        await this.letGo(record);
        res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
      } else {
        await this.release(record);
      }
      throw error;
    }
    const reply =
      result instanceof Reply ? result : new Reply(res.statusCode, result === undefined ? undefined : JSON.stringify(result));
    if (reply.status >= 500) {
      // The service's transaction may or may not have committed before it failed.
      await this.letGo(record);
      return reply.headers['retry-after'] ? reply : reply.withHeader('retry-after', RETRY_AFTER_SECONDS);
    }
    const stored: StoredResponse = { status: reply.status, headers: { ...reply.headers }, body: withoutFields(reply.body ?? null, omit) };
    try {
      if (!(await this.persist(() => this.idempotency.complete(this.dataSource.manager, record, stored)))) {
        this.logger.warn(`idempotency record ${record.id} was taken over before its response was stored`);
      }
    } catch (error) {
      // The effect happened; the client still gets its answer. A retry will find the record
      // in progress until it goes stale.
      this.logger.error(`could not store the response of idempotency record ${record.id}: ${(error as Error).message}`);
    }
    return reply;
  }

  private async letGo(record: ClaimedRecord): Promise<void> {
    await this.persist(() => this.idempotency.letGo(this.dataSource.manager, record)).catch((error: Error) =>
      this.logger.error(`could not let go of idempotency record ${record.id}: ${error.message}`),
    );
  }

  private async release(record: ClaimedRecord): Promise<void> {
    await this.persist(() => this.idempotency.release(this.dataSource.manager, record)).catch((error: Error) =>
      this.logger.error(`could not release idempotency record ${record.id}: ${error.message}`),
    );
  }

  /** Runs a bookkeeping statement, trying again while the database is unreachable (see BOOKKEEPING_RETRY_DELAYS_MS). */
  private async persist<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= BOOKKEEPING_RETRY_DELAYS_MS.length || !isDatabaseUnavailable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, BOOKKEEPING_RETRY_DELAYS_MS[attempt]));
      }
    }
  }
}

/** The JSON body without the given top-level fields (as stored for replays); other bodies as they are. */
function withoutFields(body: string | null, fields: string[]): string | null {
  if (body === null || fields.length === 0) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  return JSON.stringify(Object.fromEntries(Object.entries(parsed).filter(([name]) => !fields.includes(name))));
}
