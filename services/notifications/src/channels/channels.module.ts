import { Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { NotificationsConfig } from '../config/notifications-config.js';
import { EmailSender, SmtpEmailSender, UnconfiguredEmailSender } from './email-sender.js';
import { HttpSmsSender, SmsSender, UnconfiguredSmsSender } from './sms-sender.js';
import { StandardWebhookSender, WebhookSender } from './webhook-sender.js';

/** The channels' adapters, chosen from the configuration; a channel without configuration says so at start. */
@Module({
  providers: [
    {
      provide: EmailSender,
      inject: [SERVICE_CONFIG],
      useFactory: (config: NotificationsConfig): EmailSender =>
        config.SMTP_URL && config.MAIL_FROM
          ? new SmtpEmailSender({
              url: config.SMTP_URL,
              from: config.MAIL_FROM,
              timeoutMs: config.DELIVERY_SEND_TIMEOUT_MS,
              maxConnections: Math.min(config.DELIVERY_CONCURRENCY, 5),
            })
          : new UnconfiguredEmailSender(),
    },
    {
      provide: SmsSender,
      inject: [SERVICE_CONFIG],
      useFactory: (config: NotificationsConfig): SmsSender =>
        config.SMS_PROVIDER_URL
          ? new HttpSmsSender({
              url: config.SMS_PROVIDER_URL,
              token: config.SMS_PROVIDER_TOKEN,
              timeoutMs: config.DELIVERY_SEND_TIMEOUT_MS,
            })
          : new UnconfiguredSmsSender(),
    },
    {
      provide: WebhookSender,
      inject: [SERVICE_CONFIG],
      useFactory: (config: NotificationsConfig): WebhookSender =>
        new StandardWebhookSender({ timeoutMs: config.DELIVERY_SEND_TIMEOUT_MS, allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS }),
    },
  ],
  exports: [EmailSender, SmsSender, WebhookSender],
})
export class ChannelsModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChannelsModule.name);
  private warned = false;

  constructor(
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
  ) {}

  // Runs for the HTTP application and again for the message transport: say it once.
  onApplicationBootstrap(): void {
    if (this.warned) return;
    this.warned = true;
    for (const reason of [this.email.unavailableReason, this.sms.unavailableReason]) {
      if (reason) this.logger.warn(reason);
    }
  }
}
