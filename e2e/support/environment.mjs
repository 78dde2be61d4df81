import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/lib/suite.mjs';

export const POSTGRES_SERVER = (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
export const RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A database name no other run uses (tagged with `npm test`'s run, which drops it at the end). */
export function uniqueDatabaseUrl(/** @type {string} */ service) {
  const tag = process.env.SKALD_TEST_RUN ? `${process.env.SKALD_TEST_RUN}_` : '';
  return `${POSTGRES_SERVER}/${tag}e2e_${service}_${randomBytes(4).toString('hex')}`;
}

/**
 * The environment of a service under test: a free port, its own database, quick retries, terse logs.
 * @param {string} service
 * @param {Record<string, string>} [overrides]
 * @returns {Promise<Record<string, string>>}
 */
export async function serviceEnv(service, overrides = {}) {
  return {
    PORT: String(await freePort()),
    DATABASE_URL: uniqueDatabaseUrl(service),
    RABBITMQ_URL,
    LOG_LEVEL: process.env.TEST_LOGS ? 'info' : 'warn',
    MESSAGING_RETRY_DELAYS_MS: '100,500',
    SHUTDOWN_TIMEOUT_MS: '10000',
    // Two suites of six services (the shared one and a fault test's own) and the other projects'
    // tests share one PostgreSQL server and its 100 connections: small pools, as many messages
    // in flight as connections.
    DATABASE_POOL_SIZE: '6',
    MESSAGING_PREFETCH: '6',
    ...overrides,
  };
}

/**
 * A gateway of the e2e suite: its rate limits out of the way. Flows and the fuzz drive many
 * requests through few keys, all from 127.0.0.1 (the fuzz sends bad keys too); the limits
 * themselves have their own tests (services/gateway/src/rate-limits).
 */
export const GATEWAY_LIMITS_OFF = { RATE_LIMIT_PER_SECOND: '5000', RATE_LIMIT_BURST: '10000', AUTH_FAILURE_LIMIT: '1000000' };

/** Who the notifications service tells about new outbound notes, per warehouse (`*`: any other). */
export const WAREHOUSE_RECIPIENTS = 'WH-E2E-1=wh1@warehouse.test;*=warehouse@warehouse.test';

/** Who the notifications service tells about low stock, per warehouse (`*`: any other). */
export const PURCHASING_RECIPIENTS = '*=purchasing@skald.test';

/**
 * How long inventory holds a reservation unless the saga says otherwise. Short, so the expiry test
 * sees one expire; long enough for every other test to confirm its notes well before.
 */
export const RESERVATION_HOLD_SECONDS = 25;
