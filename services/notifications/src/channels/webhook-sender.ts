import { Webhook } from 'standardwebhooks';
import { postJson } from './http-post.js';
import { refused, type SendOutcome } from './send-outcome.js';

export interface WebhookMessage {
  /** The delivery id: the `webhook-id`, the same on every retry so the receiver can deduplicate. */
  deliveryId: string;
  url: string;
  /** The subscription's Standard Webhooks secret (`whsec_…`). */
  secret: string;
  body: unknown;
}

/** Sends signed webhooks. */
export abstract class WebhookSender {
  readonly unavailableReason: string | null = null;
  abstract send(message: WebhookMessage): Promise<SendOutcome>;
}

/**
 * POSTs the JSON body with the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`); 2xx = delivered. Every other answer is retried: receivers come back.
 */
export class StandardWebhookSender extends WebhookSender {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  send(message: WebhookMessage): Promise<SendOutcome> {
    let signer: Webhook;
    try {
      signer = new Webhook(message.secret);
    } catch (error) {
      return Promise.resolve(refused(`cannot sign: ${(error as Error).message}`, false));
    }
    // The signature covers exactly these bytes and this time, taken anew on each attempt.
    const body = JSON.stringify(message.body);
    const timestamp = new Date();
    return postJson({
      url: message.url,
      body,
      headers: {
        'user-agent': 'Skald-Webhooks/1.0',
        'webhook-id': message.deliveryId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signer.sign(message.deliveryId, timestamp, body),
      },
      timeoutMs: this.timeoutMs,
      retryableStatus: () => true,
    });
  }
}
