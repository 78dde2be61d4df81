import { ApiKey } from '../api-keys/api-key.entity.js';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity.js';
import { Platform } from '../platforms/platform.entity.js';
import { WebhookSubscription } from '../webhooks/webhook-subscription.entity.js';

/** Every TypeORM entity of the gateway database. */
export const entities = [Platform, ApiKey, IdempotencyRecord, WebhookSubscription];
