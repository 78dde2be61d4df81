import http from 'node:http';
import https from 'node:https';

/** One upstream service's origin and the keep-alive connections to it. */
export interface UpstreamConnection {
  transport: typeof http | typeof https;
  agent: http.Agent;
  hostname: string;
  port: number;
}

export interface UpstreamConnectionOptions {
  /** Connections kept per upstream (UPSTREAM_CONNECTIONS). */
  connections: number;
}

/**
 * How long a kept-alive connection may wait unused before the gateway closes it. A Node server (every
 * Skald service) closes one after 5 s (`keepAliveTimeout`, plus a second's grace): a request sent
 * just as it does so meets a reset, and a command cannot be sent again (it may have been acted on).
 * Node's Agent would keep the connection until the server closes it, so the gateway closes it
 * first, as undici did (4 s).
 */
export const IDLE_CONNECTION_MS = 4_000;

/** Kept-alive connections to `origin` (http: or https:), at most `connections` at once. */
export function connectUpstream(origin: URL, options: UpstreamConnectionOptions): UpstreamConnection {
  const secure = origin.protocol === 'https:';
  const transport = secure ? https : http;
  return {
    transport,
    // `timeout` is an idle connection's; a request's own (Exchange.timeoutMs) replaces it while it runs.
    agent: new transport.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections, timeout: IDLE_CONNECTION_MS }),
    hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: origin.port ? Number(origin.port) : secure ? 443 : 80,
  };
}

export interface Exchange {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** How long the connection may stay silent (connecting, before the answer, between its chunks). */
  timeoutMs: number;
  /** How long connecting may take. */
  connectTimeoutMs: number;
  /** The most the answer's body may hold. */
  maxResponseBytes: number;
}

export interface ExchangeAnswer {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Why an exchange failed where the upstream chose no answer: its `code`, which the caller maps to an error of its own. */
export class ExchangeError extends Error {
  constructor(
    readonly code: 'UPSTREAM_TIMEOUT' | 'UPSTREAM_CONNECT_TIMEOUT' | 'UPSTREAM_RESPONSE_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

/**
 * One request and its whole answer over node:http. Node's own HTTP client parses with the llhttp
 * compiled into the binary; undici (which the gateway used before) compiles its WebAssembly build
 * of the same parser into every process, with its module graph in the heap (issue #13: the
 * gateway's memory). Rejects with the socket's error (ECONNREFUSED, ECONNRESET, …) or an
 * ExchangeError.
 */
export function exchange(upstream: UpstreamConnection, request: Exchange): Promise<ExchangeAnswer> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      req.destroy(failure);
    };
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    const req = upstream.transport.request(
      { agent: upstream.agent, hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxResponseBytes) fail(new ExchangeError('UPSTREAM_RESPONSE_TOO_LARGE', `answer larger than ${request.maxResponseBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks, size).toString('utf8') }));
        // The answer cut short: the connection closed or was destroyed (a timeout, too large) mid-body.
        res.on('error', (error) => reject(failure ?? error));
        res.on('close', () => {
          if (!res.complete) reject(failure ?? Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' }));
        });
      },
    );
    req.setTimeout(request.timeoutMs, () => fail(new ExchangeError('UPSTREAM_TIMEOUT', `no answer within ${request.timeoutMs} ms`)));
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => fail(new ExchangeError('UPSTREAM_CONNECT_TIMEOUT', `not connected within ${request.connectTimeoutMs} ms`)), request.connectTimeoutMs);
      const clear = () => clearTimeout(timer);
      socket.once('connect', clear);
      req.once('close', clear);
    });
    req.on('error', (error) => reject(failure ?? error));
    req.end(request.body);
  });
}
