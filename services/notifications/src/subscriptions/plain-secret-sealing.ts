import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';

/**
 * At start, seals the secrets an older version stored in plain text. A migration cannot: it has no
 * WEBHOOK_SECRET_KEY. Until this has run, such a row still signs from its plain-text secret.
 */
@Injectable()
export class PlainSecretSealing implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlainSecretSealing.name);
  private done?: Promise<void>;

  constructor(
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly dataSource: DataSource,
  ) {}

  // Runs for the HTTP application and again for the message transport: once is enough.
  async onApplicationBootstrap(): Promise<void> {
    this.done ??= this.dataSource
      .transaction((manager) => this.subscriptions.sealPlainSecrets(manager))
      .then((sealed) => {
        if (sealed > 0) this.logger.log(`sealed ${sealed} webhook secret(s) stored in plain text by an older version`);
      });
    await this.done;
  }
}
