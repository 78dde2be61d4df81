import type { OnApplicationShutdown } from '@nestjs/common';
import { publicOnlyLookup, systemResolveAll, urlTargetProblem, type ResolveAll } from '@skald/service-kit';
import { Webhook } from 'standardwebhooks';
import { Agent } from 'undici';
import { postJson } from './http-post.js';
import { refused, type SendOutcome } from './send-outcome.js';

export interface WebhookMessage {
  /** The delivery id: the `webhook-id`, the same on every retry so the receiver can deduplicate. */
  deliveryId: string;
  url: string;
  /**
   * The subscription's Standard Webhooks secrets (`whsec_…`): the current one, and after a rotation
   * the previous one too while it is valid. Each adds a signature.
   */
  secrets: string[];
  body: unknown;
}

/** Sends signed webhooks. */
export abstract class WebhookSender {
  readonly unavailableReason: string | null = null;
  abstract send(message: WebhookMessage): Promise<SendOutcome>;
}

export interface WebhookSenderOptions {
  timeoutMs: number;
  /** Lets webhooks reach loopback, private and other non-public addresses (local development, tests). */
  allowPrivateNetworks: boolean;
  /** How host names are resolved; the system resolver unless a test brings names of its own. */
  resolveAll?: ResolveAll;
}

/**
 * POSTs the JSON body with the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`); 2xx = delivered. Every other answer is retried: receivers come back.
 *
 * Only the public internet is reached (unless allowPrivateNetworks): the URL's host is checked, and
 * a name is resolved by the connection pool's own lookup, which refuses it when any address is not
 * public and connects to the very addresses it checked (no DNS rebinding between check and
 * connect). A refused target is a permanent failure (WEBHOOK_URL_FORBIDDEN), not retried.
 */
export class StandardWebhookSender extends WebhookSender implements OnApplicationShutdown {
  private readonly dispatcher: Agent;

  constructor(private readonly options: WebhookSenderOptions) {
    super();
    const resolveAll = options.resolveAll ?? systemResolveAll;
    this.dispatcher = new Agent({
      connect: {
        lookup: publicOnlyLookup(resolveAll, { allowNonPublic: options.allowPrivateNetworks }),
      },
    });
  }

  send(message: WebhookMessage): Promise<SendOutcome> {
    if (!this.options.allowPrivateNetworks) {
      const problem = urlTargetProblem(message.url);
      if (problem) return Promise.resolve(refused(`WEBHOOK_URL_FORBIDDEN: ${problem}`, false));
    }
    let signers: Webhook[];
    try {
      signers = message.secrets.map((secret) => new Webhook(secret));
    } catch (error) {
      return Promise.resolve(refused(`cannot sign: ${(error as Error).message}`, false));
    }
    if (signers.length === 0) return Promise.resolve(refused('cannot sign: the subscription has no secret', false));
    // The signatures cover exactly these bytes and this time, taken anew on each attempt.
    const body = JSON.stringify(message.body);
    const timestamp = new Date();
    return postJson({
      url: message.url,
      body,
      headers: {
        'user-agent': 'Skald-Webhooks/1.0',
        'webhook-id': message.deliveryId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        // Standard Webhooks: several signatures, space-separated; a receiver accepts any that verifies.
        'webhook-signature': signers.map((signer) => signer.sign(message.deliveryId, timestamp, body)).join(' '),
      },
      timeoutMs: this.options.timeoutMs,
      retryableStatus: () => true,
      dispatcher: this.dispatcher,
    });
  }

  /** Closes the pooled connections; after every module's onModuleDestroy, when the dispatcher's sends are done. */
  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
