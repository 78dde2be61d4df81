import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, Validate, ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { BaseServiceConfig, IsSecretKey, IsUrlWithProtocol, TransformBoolean } from '@skald/service-kit';
import { isTrustProxy } from '../rate-limits/trust-proxy.js';

@ValidatorConstraint({ name: 'burstAtLeastRate' })
class BurstAtLeastRate implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return typeof value === 'number' && value >= (args.object as GatewayConfig).RATE_LIMIT_PER_SECOND;
  }

  defaultMessage(): string {
    return 'must be at least RATE_LIMIT_PER_SECOND';
  }
}

@ValidatorConstraint({ name: 'trustProxy' })
class TrustProxy implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isTrustProxy(value);
  }

  defaultMessage(): string {
    return 'must be a number of proxy hops, or comma-separated proxy addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal';
  }
}

/** The gateway's environment: the platform's variables plus where the owning services listen. */
export class GatewayConfig extends BaseServiceConfig {
  /** The orders service's internal API (orders, reviews, customers). */
  @IsUrlWithProtocol('http:', 'https:')
  ORDERS_URL = 'http://127.0.0.1:3001';

  /** The inventory service's internal API (catalog, warehouses, stock). */
  @IsUrlWithProtocol('http:', 'https:')
  INVENTORY_URL = 'http://127.0.0.1:3002';

  /** The warehouse service's internal API (outbound notes, shipments). */
  @IsUrlWithProtocol('http:', 'https:')
  WAREHOUSE_URL = 'http://127.0.0.1:3003';

  /** The returns service's internal API (returns, return policies, return analytics). */
  @IsUrlWithProtocol('http:', 'https:')
  RETURNS_URL = 'http://127.0.0.1:3004';

  /** The notifications service's internal API (its part of a saga's timeline, its dead letters). */
  @IsUrlWithProtocol('http:', 'https:')
  NOTIFICATIONS_URL = 'http://127.0.0.1:3005';

  /** How long the gateway waits for an upstream's response headers, and between body chunks. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  UPSTREAM_TIMEOUT_MS = 10_000;

  /** Connections kept per upstream service. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  UPSTREAM_CONNECTIONS = 16;

  /** Requests per second an API key may sustain, unless its platform has its own limit (ADR 13). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND = 100;

  /** Requests an API key may send at once (its bucket); a platform's own limit gets twice its rate. */
  @Type(() => Number)
  @IsInt()
  @Max(2_000_000)
  @Validate(BurstAtLeastRate)
  RATE_LIMIT_BURST = 200;

  /** Failed authentications (401) a source address may have in AUTH_FAILURE_BLOCK_SECONDS before it is blocked. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_FAILURE_LIMIT = 20;

  /** The window in which failed authentications count, and how long an address that exceeds it is blocked. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_FAILURE_BLOCK_SECONDS = 60;

  /**
   * The reverse proxies whose X-Forwarded-For names the client (Express `trust proxy`): a hop count
   * or addresses, subnets and presets. Unset: the socket's peer is the client.
   */
  @IsOptional()
  @Validate(TrustProxy)
  TRUST_PROXY?: string;
  /**
   * Lets webhook subscriptions name loopback, private and other non-public addresses (local
   * development and tests only): without it such URLs are refused with WEBHOOK_URL_FORBIDDEN.
   */
  @TransformBoolean()
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  /**
   * AES-256 key (32 bytes, base64) the gateway seals a new signing secret with for notifications,
   * which holds the same key: the secret is never readable in the outbox or on the broker.
   */
  @IsSecretKey()
  WEBHOOK_SECRET_KEY: string;

  /** Webhook subscriptions one platform may hold at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  WEBHOOK_MAX_SUBSCRIPTIONS_PER_PLATFORM = 20;
}
