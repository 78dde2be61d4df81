import { postJson, transientHttpStatus } from './http-post.js';
import { refused, type SendOutcome } from './send-outcome.js';

export interface SmsMessage {
  /** The delivery id, sent as `reference` so the provider can recognise a repeated send. */
  deliveryId: string;
  to: string;
  body: string;
}

/** Sends SMS through the provider. */
export abstract class SmsSender {
  abstract readonly unavailableReason: string | null;
  abstract send(message: SmsMessage): Promise<SendOutcome>;
}

export interface SmsProviderOptions {
  url: string;
  token?: string;
  timeoutMs: number;
}

/** The SMS provider's HTTP API: POST JSON `{to, body, reference}`; 2xx = accepted. */
export class HttpSmsSender extends SmsSender {
  readonly unavailableReason = null;

  constructor(private readonly options: SmsProviderOptions) {
    super();
  }

  send(message: SmsMessage): Promise<SendOutcome> {
    return postJson({
      url: this.options.url,
      body: JSON.stringify({ to: message.to, body: message.body, reference: message.deliveryId }),
      headers: this.options.token ? { authorization: `Bearer ${this.options.token}` } : {},
      timeoutMs: this.options.timeoutMs,
      retryableStatus: transientHttpStatus,
    });
  }
}

export class UnconfiguredSmsSender extends SmsSender {
  readonly unavailableReason = 'SMS_PROVIDER_URL is not set: SMS stay pending until it is';

  send(): Promise<SendOutcome> {
    return Promise.resolve(refused(this.unavailableReason, true));
  }
}
