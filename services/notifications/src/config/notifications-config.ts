import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  isEmail,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { BaseServiceConfig, IsSecretKey, IsUrlWithProtocol, TransformBoolean } from '@skald/service-kit';
import { WarehouseRecipients } from './warehouse-recipients.js';

@ValidatorConstraint({ name: 'warehouseRecipients' })
class WarehouseRecipientsFormat implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return problemWith(value) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return `must be WAREHOUSE=address[,address…] entries separated by ";" (e.g. WH-1=a@x.com,b@x.com;*=ops@x.com): ${problemWith(args.value)}`;
  }
}

function problemWith(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  try {
    WarehouseRecipients.parse(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

@ValidatorConstraint({ name: 'mailbox' })
class Mailbox implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const named = /^[^<>]*<([^<>]+)>$/.exec(value.trim());
    return isEmail(named ? named[1] : value.trim());
  }

  defaultMessage(): string {
    return 'must be an address (orders@shop.example) or a named address (Shop <orders@shop.example>)';
  }
}

@ValidatorConstraint({ name: 'longerThanSendTimeout' })
class LongerThanSendTimeout implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const config = args.object as NotificationsConfig;
    return typeof value === 'number' && value > config.DELIVERY_SEND_TIMEOUT_MS;
  }

  defaultMessage(): string {
    return 'must be longer than DELIVERY_SEND_TIMEOUT_MS, or a send still in progress would be taken over and repeated';
  }
}

/** The notifications service's environment: the platform's variables plus its channels and delivery engine. */
export class NotificationsConfig extends BaseServiceConfig {
  /** SMTP server for e-mail (smtp:// or smtps://, credentials in the URL). Unset: e-mails wait, pending. */
  @IsOptional()
  @IsUrlWithProtocol('smtp:', 'smtps:')
  SMTP_URL?: string;

  /** Sender of every e-mail; required with SMTP_URL. */
  @ValidateIf((config: NotificationsConfig) => config.SMTP_URL !== undefined || config.MAIL_FROM !== undefined)
  @Validate(Mailbox)
  MAIL_FROM?: string;

  /** The SMS provider's endpoint (POST JSON {to, body, reference}). Unset: SMS wait, pending. */
  @IsOptional()
  @IsUrlWithProtocol('http:', 'https:')
  SMS_PROVIDER_URL?: string;

  /** Bearer token for the SMS provider, when it wants one. */
  @IsOptional()
  @IsString()
  @MinLength(8)
  SMS_PROVIDER_TOKEN?: string;

  /** Who is told about outbound notes: `WH-1=a@x.com,b@x.com;WH-2=c@x.com;*=fallback@x.com`. */
  @IsOptional()
  @Validate(WarehouseRecipientsFormat)
  NOTIFY_WAREHOUSE_RECIPIENTS?: string;

  /**
   * Who is told about low stock (replenishment alerts), per warehouse, in the same format:
   * `WH-1=buyer@x.com;*=purchasing@x.com`. Unset: no purchasing e-mail.
   */
  @IsOptional()
  @Validate(WarehouseRecipientsFormat)
  NOTIFY_PURCHASING_RECIPIENTS?: string;

  /** Delay before the first retry of a failed delivery; each further retry waits twice as long. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DELIVERY_RETRY_BASE_MS = 2_000;

  /** Upper bound of one back-off delay. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DELIVERY_RETRY_MAX_DELAY_MS = 3_600_000;

  /** Attempts before a delivery is marked failed. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DELIVERY_MAX_ATTEMPTS = 8;

  /** Safety poll of the dispatcher (due retries, missed notifications). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  DELIVERY_POLL_INTERVAL_MS = 1_000;

  /** Sends in flight per replica. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  DELIVERY_CONCURRENCY = 16;

  /** Time limit of one send (HTTP request, SMTP transaction). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DELIVERY_SEND_TIMEOUT_MS = 10_000;

  /**
   * AES-256 key (32 bytes, base64) the webhook signing secrets are sealed with, at rest here and in
   * transit from the gateway, which holds the same key. Required: the service does not start without it.
   */
  @IsSecretKey()
  WEBHOOK_SECRET_KEY: string;

  /**
   * Lets webhooks reach loopback, private and other non-public addresses (local development and
   * tests only). Without it a delivery to such a host fails for good with WEBHOOK_URL_FORBIDDEN.
   */
  @TransformBoolean()
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  /** How long a claimed delivery is reserved for its sender; a crashed replica's claims are retried after it. */
  @Type(() => Number)
  @IsInt()
  @Validate(LongerThanSendTimeout)
  DELIVERY_LEASE_MS = 120_000;
}

/** The parsed NOTIFY_WAREHOUSE_RECIPIENTS (validated at start). */
export function warehouseRecipientsOf(config: NotificationsConfig): WarehouseRecipients {
  return WarehouseRecipients.parse(config.NOTIFY_WAREHOUSE_RECIPIENTS);
}

/** The parsed NOTIFY_PURCHASING_RECIPIENTS (validated at start). */
export function purchasingRecipientsOf(config: NotificationsConfig): WarehouseRecipients {
  return WarehouseRecipients.parse(config.NOTIFY_PURCHASING_RECIPIENTS);
}
