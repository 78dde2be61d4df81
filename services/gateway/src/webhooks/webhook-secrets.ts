import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { parseSecretKey, sealSecret, SERVICE_CONFIG } from '@skald/service-kit';
import type { GatewayConfig } from '../config/gateway-config.js';

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * Makes signing secrets and seals them for notifications with WEBHOOK_SECRET_KEY (which it holds
 * too), the subscription id as associated data. The gateway keeps no copy: the caller shows the
 * plain secret once and the sealed one travels in the event.
 */
@Injectable()
export class WebhookSecrets {
  private readonly key: Buffer;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    this.key = parseSecretKey(config.WEBHOOK_SECRET_KEY);
  }

  create(subscriptionId: string): { secret: string; encryptedSecret: string } {
    const secret = newWebhookSecret();
    return { secret, encryptedSecret: sealSecret(this.key, secret, subscriptionId) };
  }
}
