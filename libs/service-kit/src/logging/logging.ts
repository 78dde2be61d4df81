import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentExecutionContext } from '@skald/messaging';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import { activeTraceIds } from '../tracing/tracing.js';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * The correlation id of an HTTP request: the caller's `X-Correlation-Id` if it sent one, else a
 * new one, written back onto the request so every component reads the same value.
 */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,200}$/.test(given) ? given : randomUUID();
  req.headers[CORRELATION_HEADER] = id;
  return id;
}

/**
 * JSON logs (pino) for a service: every line carries the service name and, inside a request or
 * a message handler, the correlation id (the saga), the message id, causation and tenant; inside a
 * span, its `traceId` and `spanId`.
 */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin() {
      const context = currentExecutionContext();
      const fields = context ? Object.entries(context).filter(([, value]) => value !== undefined && value !== null) : [];
      return { ...Object.fromEntries(fields), ...activeTraceIds() };
    },
  };
}

/**
 * Request headers that carry credentials, never written to a log line: the internal token the
 * gateway sends the services (x-skald-internal-token), and the API keys clients send the gateway.
 */
export const REDACTED_REQUEST_HEADERS: readonly string[] = ['x-skald-internal-token', 'authorization', 'x-api-key', 'cookie'];

const REDACTED = '[Redacted]';

/**
 * pino-http's `req` serializer (applied after its standard one, which lends the request's own
 * headers object): the headers with REDACTED_REQUEST_HEADERS censored, in a copy. Every request
 * binds its `req` to a child logger, so this runs once per request: a copy of one small object
 * where pino's path redaction cloned, censored and restored it generically (issue #13).
 */
export function redactRequestHeaders<R extends { headers?: Record<string, unknown> }>(req: R): R {
  const headers = req.headers;
  if (!headers || !REDACTED_REQUEST_HEADERS.some((name) => headers[name] !== undefined)) return req;
  const censored: Record<string, unknown> = { ...headers };
  for (const name of REDACTED_REQUEST_HEADERS) if (censored[name] !== undefined) censored[name] = REDACTED;
  req.headers = censored;
  return req;
}

/**
 * nestjs-pino parameters: the same JSON lines, plus one per HTTP request (health and metrics
 * excepted), written to stdout or to `destination`.
 */
export function loggerParams(service: string, level: string, destination?: DestinationStream): Params {
  const options = {
    ...loggerOptions(service, level),
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = correlationIdOf(req);
      res.setHeader(CORRELATION_HEADER, id);
      return id;
    },
    autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
    serializers: { req: redactRequestHeaders },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
