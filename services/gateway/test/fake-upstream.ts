import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the fake upstream received. */
export interface ReceivedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body ('' when none). */
  body: string;
}

export interface CannedResponse {
  status: number;
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Drops the connection instead of answering (what a reset after the service acted looks like). */
  reset?: boolean;
}

export type Responder = (request: ReceivedRequest) => CannedResponse | Promise<CannedResponse>;

/**
 * Plays an owning service (orders, inventory, warehouse, returns) for the gateway under test: a real local
 * HTTP server that records every request and answers what the test tells it to.
 */
export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  private responder: Responder = () => ({ status: 200, body: { ok: true } });
  private readonly connections = new Set<Socket>();
  private connectionsClosed: Array<() => void> = [];

  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.received.push(request);
      Promise.resolve()
        .then(() => this.responder(request))
        .then(
          (response) => {
            if (response.reset) {
              req.socket.destroy();
              return;
            }
            const body = response.raw ?? (response.body === undefined ? '' : JSON.stringify(response.body));
            res.writeHead(response.status, {
              ...(response.raw === undefined && response.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
              ...response.headers,
            });
            res.end(body);
          },
          (error: Error) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(error.message);
          },
        );
    });
  });

  static async start(): Promise<FakeUpstream> {
    const upstream = new FakeUpstream();
    upstream.server.on('connection', (socket: Socket) => {
      upstream.connections.add(socket);
      socket.on('close', () => {
        upstream.connections.delete(socket);
        if (upstream.connections.size === 0) for (const resolve of upstream.connectionsClosed.splice(0)) resolve();
      });
    });
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** How the upstream answers from now on. */
  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  /** How long the upstream keeps an unused connection open (Node's default: 5 s). */
  keepIdleConnectionsFor(ms: number): void {
    this.server.keepAliveTimeout = ms;
  }

  /** Connections the gateway holds open to this upstream now. */
  get openConnections(): number {
    return this.connections.size;
  }

  /** Resolves once no connection to this upstream is open. */
  untilNoConnections(): Promise<void> {
    return this.connections.size === 0 ? Promise.resolve() : new Promise((resolve) => this.connectionsClosed.push(resolve));
  }

  /** Requests whose path starts with `prefix` (tests use unique ids, so they never see each other's). */
  requestsTo(prefix: string): ReceivedRequest[] {
    return this.received.filter((request) => request.url.startsWith(prefix));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A local port where nothing listens (an upstream that is down). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
