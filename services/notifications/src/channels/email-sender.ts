import type { OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type NodemailerError, type Transporter } from 'nodemailer';
import { refused, accepted, type SendOutcome } from './send-outcome.js';

export interface EmailMessage {
  /** The delivery id: the Message-ID is made from it, so a repeated send is recognisable. */
  deliveryId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail. Injected by this class; tests use a real local SMTP server, not a stand-in. */
export abstract class EmailSender {
  /** Why e-mails cannot be sent by this replica (channel not configured), or null. */
  abstract readonly unavailableReason: string | null;
  abstract send(message: EmailMessage): Promise<SendOutcome>;
}

export interface SmtpOptions {
  url: string;
  from: string;
  timeoutMs: number;
  /** Parallel SMTP connections (a pool, reused between sends). */
  maxConnections: number;
}

/** E-mail over SMTP with nodemailer's pooled transport. */
export class SmtpEmailSender extends EmailSender implements OnApplicationShutdown {
  readonly unavailableReason = null;
  private readonly transporter: Transporter;

  constructor(private readonly options: SmtpOptions) {
    super();
    this.transporter = createTransport({
      url: options.url,
      pool: true,
      maxConnections: options.maxConnections,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
  }

  async send(message: EmailMessage): Promise<SendOutcome> {
    try {
      const info = await this.transporter.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${message.deliveryId}@notifications.skald>`,
        headers: { 'X-Skald-Delivery-Id': message.deliveryId },
        // Bounds the whole transaction, including the wait for a pooled connection.
        signal: AbortSignal.timeout(this.options.timeoutMs * 3),
      });
      return accepted(String(info.response ?? 'accepted'));
    } catch (error) {
      const failure = error as NodemailerError;
      const detail = failure.response ?? `${failure.code ?? 'error'}: ${failure.message}`;
      // A 5xx reply (except 503) refuses the message for good; so does an envelope nodemailer cannot build.
      const permanent = failure.permanent === true || (failure.code === 'EENVELOPE' && failure.responseCode === undefined);
      return refused(detail, !permanent);
    }
  }

  // After every module's onModuleDestroy: the dispatcher has finished its sends by then.
  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

/** E-mail is not configured: nothing is sent, the deliveries wait with this reason. */
export class UnconfiguredEmailSender extends EmailSender {
  readonly unavailableReason = 'SMTP_URL is not set: e-mails stay pending until it is';

  send(): Promise<SendOutcome> {
    return Promise.resolve(refused(this.unavailableReason, true));
  }
}
