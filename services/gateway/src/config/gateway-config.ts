import { Type } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, IsSecretKey, IsUrlWithProtocol, TransformBoolean } from '@skald/service-kit';

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
