import { UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER, correlationIdOf } from '../logging/logging.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsFilter } from './problem-details.filter.js';

/** The header that carries the shared internal token from the gateway to a service. */
export const INTERNAL_TOKEN_HEADER = 'x-skald-internal-token';

/**
 * Routes an internal service answers without the token: probes and scrapers, which carry no
 * secrets and cannot be given one (kubelet, Prometheus). Matched exactly, GET and HEAD only.
 */
export const INTERNAL_TOKEN_EXEMPT_PATHS: readonly string[] = ['/health/live', '/health/ready', '/metrics'];

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The internal tokens a service accepts: one, or two during a rotation (`new,old`).
 * Both sides are hashed before the comparison so that `timingSafeEqual` sees equal lengths and
 * the time taken tells nothing about the token's length or its first differing byte.
 */
export class InternalTokens {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    if (tokens.length === 0) throw new Error('InternalTokens needs at least one token');
    this.digests = tokens.map(sha256);
  }

  /** Whether the presented value is one of the tokens. */
  accepts(presented: string | undefined): boolean {
    if (presented === undefined) return false;
    const given = sha256(presented);
    let accepted = false;
    // Every configured token is compared, whichever matches: no early exit to time.
    for (const digest of this.digests) accepted = timingSafeEqual(given, digest) || accepted;
    return accepted;
  }
}

function presentedToken(req: IncomingMessage): string | undefined {
  const value = req.headers[INTERNAL_TOKEN_HEADER];
  return typeof value === 'string' ? value : undefined;
}

function isExempt(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return INTERNAL_TOKEN_EXEMPT_PATHS.includes(query === -1 ? url : url.slice(0, query));
}

/** What a refused request looked like, for the warning the service logs (never the token). */
export interface RefusedInternalCall {
  method: string;
  path: string;
  correlationId: string;
  remoteAddress: string | undefined;
}

/**
 * The trust boundary of an internal service, as plain HTTP middleware installed before anything
 * else (body parsing, Swagger, routes, the not-found handler): a request without one of the
 * tokens is answered 401 problem+json `UNAUTHENTICATED` — the same answer whether the token is
 * missing, malformed or wrong — and reaches nothing else. Caller headers are only read after it.
 */
export function internalTokenMiddleware(
  tokens: InternalTokens,
  onRefused: (call: RefusedInternalCall) => void = () => undefined,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const problem = new ProblemDetailsFilter().toProblem(
    new UnauthorizedException({ code: 'UNAUTHENTICATED', detail: 'Internal API: unknown caller.' }),
  );
  return (req, res, next) => {
    if (isExempt(req) || tokens.accepts(presentedToken(req))) return next();
    const correlationId = correlationIdOf(req);
    const path = (req.url ?? '').split('?')[0];
    onRefused({ method: req.method ?? '', path, correlationId, remoteAddress: req.socket.remoteAddress });
    res.statusCode = 401;
    res.setHeader('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader(CORRELATION_HEADER, correlationId);
    res.end(JSON.stringify({ ...problem, instance: path }));
  };
}
