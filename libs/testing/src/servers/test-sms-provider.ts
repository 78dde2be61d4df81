import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@skald/messaging';
import { readBody } from './read-body.js';
import type { ServerAddress } from './test-smtp-server.js';

/** An SMS as the provider accepted it. */
export interface ReceivedSms {
  to: string;
  body: string;
  reference: string;
  authorization: string | undefined;
  receivedAt: Date;
}

/** One request to the provider, whatever its answer. */
export interface SmsRequest {
  body: unknown;
  authorization: string | undefined;
  status: number;
}

/**
 * A stand-in SMS provider over real HTTP: accepts POST JSON `{to, body, reference}` with 202 and
 * records it. When created with a token, it refuses requests without `Authorization: Bearer <token>`
 * (401). It can be told to fail the next requests with 503.
 */
export class TestSmsProvider {
  readonly messages: ReceivedSms[] = [];
  readonly requests: SmsRequest[] = [];
  private server?: Server;
  private failures = 0;

  constructor(private readonly options: { token?: string } = {}) {}

  /** Listens on `port` (0: any free port). */
  async start(port = 0): Promise<ServerAddress> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return this.address();
  }

  address(): ServerAddress {
    if (!this.server) throw new Error('TestSmsProvider not started');
    const { port } = this.server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/messages`, port };
  }

  /** Answers the next `count` requests with 503. */
  failNext(count: number): void {
    this.failures += count;
  }

  waitForSms(predicate: (sms: ReceivedSms) => boolean = () => true, timeoutMs = 15_000): Promise<ReceivedSms> {
    return waitFor('an SMS', () => this.messages.find(predicate), timeoutMs);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const authorization = req.headers.authorization;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const answer = (status: number, json: object) => {
      this.requests.push({ body, authorization, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (req.method !== 'POST') return answer(405, { error: 'POST only' });
    if (this.options.token && authorization !== `Bearer ${this.options.token}`) return answer(401, { error: 'bad token' });
    if (this.failures > 0) {
      this.failures--;
      return answer(503, { error: 'provider unavailable (test)' });
    }
    const sms = body as Partial<ReceivedSms>;
    if (typeof sms?.to !== 'string' || typeof sms.body !== 'string' || typeof sms.reference !== 'string') {
      return answer(400, { error: 'to, body and reference are required' });
    }
    this.messages.push({ to: sms.to, body: sms.body, reference: sms.reference, authorization, receivedAt: new Date() });
    answer(202, { id: `sms-${this.messages.length}`, status: 'accepted' });
  }
}
