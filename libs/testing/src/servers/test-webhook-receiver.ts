import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { waitFor } from '@skald/messaging';
import type { ServerAddress } from './test-smtp-server.js';
import { readBody } from './read-body.js';

/** A webhook whose Standard Webhooks signature verified. */
export interface VerifiedWebhook {
  id: string;
  timestamp: string;
  payload: unknown;
  rawBody: string;
  headers: IncomingMessage['headers'];
  receivedAt: Date;
}

/** One request to the receiver, whatever its answer. */
export interface WebhookRequest {
  id: string | undefined;
  verified: boolean;
  /** delivered (2xx), failed (told to fail: 500) or rejected (bad signature: 401). */
  outcome: 'delivered' | 'failed' | 'rejected';
  error?: string;
  rawBody: string;
  receivedAt: Date;
}

/**
 * A platform's webhook endpoint over real HTTP. It verifies every request with the `standardwebhooks`
 * package (`Webhook.verify`) against the subscription's secret: verified ones are answered 204 and
 * recorded in `deliveries`, bad signatures 401 and recorded in `rejected`. It can be told to fail the
 * next requests with 500 (after verifying them).
 */
export class TestWebhookReceiver {
  readonly deliveries: VerifiedWebhook[] = [];
  readonly rejected: WebhookRequest[] = [];
  readonly requests: WebhookRequest[] = [];
  private server?: Server;
  private failures = 0;
  private verifier?: Webhook;
  /** The subscription secret signatures are checked against. */
  secret?: string;

  /** The secret may come later: a platform learns it when it subscribes the receiver's URL. */
  constructor(secret?: string) {
    if (secret) this.useSecret(secret);
  }

  /** Verifies from now on with this subscription secret. */
  useSecret(secret: string): void {
    this.secret = secret;
    this.verifier = new Webhook(secret);
  }

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
    if (!this.server) throw new Error('TestWebhookReceiver not started');
    const { port } = this.server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/webhooks`, port };
  }

  /** Answers the next `count` verified requests with 500. */
  failNext(count: number): void {
    this.failures += count;
  }

  waitForDelivery(predicate: (webhook: VerifiedWebhook) => boolean = () => true, timeoutMs = 15_000): Promise<VerifiedWebhook> {
    return waitFor('a verified webhook', () => this.deliveries.find(predicate), timeoutMs);
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
    const rawBody = await readBody(req);
    const id = typeof req.headers['webhook-id'] === 'string' ? req.headers['webhook-id'] : undefined;
    const receivedAt = new Date();
    let payload: unknown;
    try {
      if (!this.verifier) throw new Error('no subscription secret yet');
      payload = this.verifier.verify(rawBody, {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      });
    } catch (error) {
      const request: WebhookRequest = { id, verified: false, outcome: 'rejected', error: (error as Error).message, rawBody, receivedAt };
      this.requests.push(request);
      this.rejected.push(request);
      res.writeHead(401, { 'content-type': 'text/plain' }).end('invalid signature');
      return;
    }
    if (this.failures > 0) {
      this.failures--;
      this.requests.push({ id, verified: true, outcome: 'failed', rawBody, receivedAt });
      res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver failing (test)');
      return;
    }
    this.requests.push({ id, verified: true, outcome: 'delivered', rawBody, receivedAt });
    this.deliveries.push({
      id: id ?? '',
      timestamp: String(req.headers['webhook-timestamp']),
      payload,
      rawBody,
      headers: req.headers,
      receivedAt,
    });
    res.writeHead(204).end();
  }
}
