import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createParamDecorator, RequestMethod, type ExecutionContext } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { ApiHeader } from '@nestjs/swagger';
import { CALLER_HEADERS } from '../http/caller.js';

/** Set on the answer to a repeated key: the outcome recorded the first time, not a second effect. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** What a state-changing route needs to know to run a request once per idempotency key. */
export interface IdempotentCall {
  /** The gateway's key for the request (`platform:<tenantId>:<key>` or `staff:<principalId>:<key>`), or undefined without one. */
  key: string | undefined;
  /** Method and path (no query string): a key stands for one route. */
  route: string;
  /** SHA-256 of the JSON body with its object keys sorted: a key stands for one body. */
  requestHash: string;
  /** The status the route answers on success (its `@HttpCode`, else 201 for POST and 200 otherwise). */
  statusCode: number;
  /** Marks the answer as a replay (`Idempotent-Replayed: true`). */
  markReplayed(): void;
}

/** JSON with object keys sorted, so the same document always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The service-side idempotency key of a caller's `Idempotency-Key`: scoped by platform or by staff key. */
export function scopedIdempotencyKey(caller: { kind: 'platform' | 'staff'; tenantId: string | null; principalId: string }, key: string): string {
  return caller.kind === 'platform' && caller.tenantId ? `platform:${caller.tenantId}:${key}` : `staff:${caller.principalId}:${key}`;
}

function idempotentCallOf(context: ExecutionContext): IdempotentCall {
  const req = context.switchToHttp().getRequest<IncomingMessage & { originalUrl?: string; body?: unknown }>();
  const res = context.switchToHttp().getResponse<ServerResponse>();
  const header = req.headers[CALLER_HEADERS.idempotencyKey];
  const url = req.originalUrl ?? req.url ?? '';
  const queryAt = url.indexOf('?');
  const method = (req.method ?? 'GET').toUpperCase();
  const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined;
  return {
    key: typeof header === 'string' && header.length > 0 ? header : undefined,
    route: `${method} ${queryAt < 0 ? url : url.slice(0, queryAt)}`,
    requestHash: createHash('sha256').update(canonicalJson(req.body)).digest('hex'),
    statusCode: httpCode ?? (method === RequestMethod[RequestMethod.POST] ? 201 : 200),
    markReplayed: () => res.setHeader(REPLAYED_HEADER, 'true'),
  };
}

/**
 * The idempotency of the current request, for `IdempotentRequests.transaction`:
 * `receive(@Body() body: ReceiptBody, @IdempotencyOf() call: IdempotentCall)`. Documents the
 * gateway's `x-skald-idempotency-key` header on the route.
 */
export const IdempotencyOf = createParamDecorator((_data: unknown, context: ExecutionContext): IdempotentCall => idempotentCallOf(context), [
  (target: object, key: string | symbol | undefined) => {
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (!descriptor) return;
    ApiHeader({
      name: CALLER_HEADERS.idempotencyKey,
      required: false,
      description:
        "The caller's Idempotency-Key scoped by the gateway (platform:<tenantId>:<key> or staff:<principalId>:<key>). A repeat answers the first outcome " +
        '(`Idempotent-Replayed: true`) and changes nothing; the same key for another route or body is refused (422 IDEMPOTENCY_KEY_REUSED).',
    })(target, key, descriptor);
  },
]);
