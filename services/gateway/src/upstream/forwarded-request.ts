import { CORRELATION_HEADER, type Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { serviceIdempotencyKey } from '../idempotency/idempotency.interceptor.js';
import type { ForwardedRequest } from './upstream-client.js';

/**
 * The upstream request for a public one: same method and path, the authenticated caller, the
 * correlation id, the scoped idempotency key of a request run under an Idempotency-Key, and — only
 * for routes whose DTOs checked them — the query string and the JSON
 * body. Those are the client's own, forwarded as they are once the DTOs accepted them (unknown
 * fields are refused, so they hold nothing unchecked); a route without a query or body DTO
 * forwards none, so unchecked input never reaches a service.
 */
export function forwardedRequest(req: Request, caller: Caller, options: { body?: boolean; query?: boolean } = {}): ForwardedRequest {
  const method = req.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'PATCH') throw new Error(`cannot forward ${method}`);
  const queryAt = req.originalUrl.indexOf('?');
  const path = queryAt < 0 || options.query ? req.originalUrl : req.originalUrl.slice(0, queryAt);
  return {
    method,
    path,
    caller,
    correlationId: String(req.headers[CORRELATION_HEADER]),
    body: options.body ? (req.body as unknown) : undefined,
    idempotencyKey: serviceIdempotencyKey(req),
  };
}
