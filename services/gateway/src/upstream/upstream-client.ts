import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { context, propagation } from '@opentelemetry/api';
import { CALLER_HEADERS, callerHeaders, CORRELATION_HEADER, SERVICE_CONFIG, type Caller } from '@skald/service-kit';
import type { GatewayConfig } from '../config/gateway-config.js';
import { Reply } from '../http/reply.js';
import { connectUpstream, exchange, type UpstreamConnection } from './upstream-exchange.js';

/** The services the gateway forwards to. */
export type UpstreamName = 'orders' | 'inventory' | 'warehouse' | 'returns' | 'notifications';

export interface ForwardedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Path and query string: the same upstream as at the gateway. */
  path: string;
  caller: Caller;
  correlationId: string;
  /** A JSON body, already validated by the gateway's DTO. */
  body?: unknown;
  /** The scoped Idempotency-Key (see serviceIdempotencyKey): the service answers a repeat with its first outcome. */
  idempotencyKey?: string;
  /** A shorter wait for the answer than UPSTREAM_TIMEOUT_MS (a fan-out that shows a slow service as a gap). */
  timeoutMs?: number;
}

interface Upstream {
  name: UpstreamName;
  connection: UpstreamConnection;
  /** The base URL's path (a service mounted below a prefix), without a trailing slash. */
  prefix: string;
}

/** Response headers worth passing on (the body's type, where a created thing lives, back-off). */
const PASSED_HEADERS = ['content-type', 'location', 'retry-after'];
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
// A kept-alive connection the upstream closed just as it was reused: safe to retry a GET once.
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE']);

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'UNKNOWN';
}

function isJson(contentType: string | undefined): boolean {
  return !!contentType && /^application\/([\w.-]+\+)?json\b/i.test(contentType);
}

/**
 * Forwards public API calls to the owning services' internal HTTP APIs over pooled keep-alive
 * connections (node:http), with the authenticated caller in the x-skald-* headers, the correlation
 * id, the internal token and the active trace context. The upstream's status and JSON body come
 * back as they are.
 */
@Injectable()
export class UpstreamClient implements OnApplicationShutdown {
  private readonly logger = new Logger(UpstreamClient.name);
  private readonly upstreams: Record<UpstreamName, Upstream>;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: GatewayConfig) {
    const upstream = (name: UpstreamName, baseUrl: string): Upstream => {
      const url = new URL(baseUrl);
      return {
        name,
        prefix: url.pathname.replace(/\/+$/, ''),
        connection: connectUpstream(url, { connections: config.UPSTREAM_CONNECTIONS }),
      };
    };
    this.upstreams = {
      orders: upstream('orders', config.ORDERS_URL),
      inventory: upstream('inventory', config.INVENTORY_URL),
      warehouse: upstream('warehouse', config.WAREHOUSE_URL),
      returns: upstream('returns', config.RETURNS_URL),
      notifications: upstream('notifications', config.NOTIFICATIONS_URL),
    };
  }

  /**
   * Sends the request to the upstream and returns its answer.
   * @throws SkaldError UPSTREAM_UNAVAILABLE (unreachable, or a 503 that is not the service's own
   *         problem+json), UPSTREAM_TIMEOUT (no answer in time) or
   *         UPSTREAM_BAD_RESPONSE (not JSON); none of them is a response the upstream chose.
   */
  async forward(name: UpstreamName, request: ForwardedRequest): Promise<Reply> {
    const upstream = this.upstreams[name];
    const attempts = request.method === 'GET' ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(upstream, request);
      } catch (error) {
        if (error instanceof SkaldError) throw error;
        const code = errorCode(error);
        if (attempt < attempts && STALE_CONNECTION_CODES.has(code)) continue;
        this.logger.warn(`${request.method} ${name}${request.path} failed: ${code} ${(error as Error).message ?? ''}`.trim());
        if (code === 'UPSTREAM_TIMEOUT') {
          throw new SkaldError('UPSTREAM_TIMEOUT', `The ${name} service did not answer in time; try again.`, { cause: error });
        }
        if (code === 'UPSTREAM_RESPONSE_TOO_LARGE') {
          throw new SkaldError('UPSTREAM_BAD_RESPONSE', `The ${name} service answered too much.`, { cause: error });
        }
        throw new SkaldError('UPSTREAM_UNAVAILABLE', `The ${name} service is unavailable; try again later.`, { cause: error });
      }
    }
  }

  onApplicationShutdown(): void {
    for (const upstream of Object.values(this.upstreams)) upstream.connection.agent.destroy();
  }

  private async send(upstream: Upstream, request: ForwardedRequest): Promise<Reply> {
    const headers: Record<string, string> = {
      // The first token: during a rotation the services already accept `new,old` (ADR 9).
      ...callerHeaders(request.caller, this.config.INTERNAL_API_TOKEN[0]),
      [CORRELATION_HEADER]: request.correlationId,
      accept: 'application/json',
    };
    if (request.idempotencyKey) headers[CALLER_HEADERS.idempotencyKey] = request.idempotencyKey;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    // The span active here (the request's server span) goes on with the request; where the tracing
    // SDK instruments node:http, its client span's context replaces it on the same header.
    propagation.inject(context.active(), headers);
    const timeoutMs = request.timeoutMs ?? this.config.UPSTREAM_TIMEOUT_MS;
    const response = await exchange(upstream.connection, {
      method: request.method,
      path: upstream.prefix + request.path,
      headers,
      body,
      timeoutMs,
      connectTimeoutMs: Math.min(timeoutMs, 5_000),
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    const text = response.text;
    if (response.statusCode === 401) {
      // The client's key was accepted here: a 401 upstream means the service refused the gateway
      // itself (INTERNAL_API_TOKEN differs), which the client can do nothing about.
      this.logger.error(`${upstream.name} refused the gateway's internal credentials (is INTERNAL_API_TOKEN the same on both?)`);
      throw new SkaldError('UPSTREAM_BAD_RESPONSE', `The ${upstream.name} service refused the gateway; this is being looked into.`);
    }
    const contentType = response.headers['content-type'];
    const json = text.length > 0 && isJson(typeof contentType === 'string' ? contentType : undefined) && isValidJson(text);
    if (response.statusCode === 503 && !json) {
      // Not the service's own problem+json: a proxy in front of it with no ready instance, say.
      throw new SkaldError('UPSTREAM_UNAVAILABLE', `The ${upstream.name} service is unavailable; try again later.`);
    }
    const passed: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = response.headers[name];
      if (typeof value === 'string') passed[name] = value;
    }
    if (text.length === 0) {
      delete passed['content-type'];
      return new Reply(response.statusCode, undefined, passed);
    }
    // `json` already says whether the body is JSON text of a JSON type (the body parsed once, not twice).
    if (!json) {
      this.logger.warn(`${request.method} ${upstream.name}${request.path} answered ${response.statusCode} with a body that is not JSON`);
      throw new SkaldError('UPSTREAM_BAD_RESPONSE', `The ${upstream.name} service gave an answer the gateway cannot pass on.`);
    }
    return new Reply(response.statusCode, text, passed);
  }
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
