/**
 * Least privilege (issue #12): the shared suite runs each service as its own PostgreSQL role and
 * RabbitMQ user with exactly the permissions of libs/messaging least-privilege.ts (made by
 * e2e/support/service-accounts.mjs). Every e2e file therefore proves the permissions are enough;
 * this one shows it for an order from placement to delivery through all six services, and proves
 * they are tight: the broker refuses a service's user another service's queues and the exchanges
 * it does not publish to, and PostgreSQL refuses a service's role another service's database.
 */
import { randomUUID } from 'node:crypto';
import { COMMANDS_EXCHANGE, EVENTS_EXCHANGE } from '@skald/contracts';
import { PUBLISHES, SKALD_SERVICES, TestSmtpServer, waitFor, type SkaldService } from '@skald/testing';
import amqplib, { type Channel, type ChannelModel } from 'amqplib';
import pg from 'pg';
import { createPlatform, createStaffKey } from '../../support/gateway-client.js';
import { suite } from '../../support/suite-state.mjs';
import { queryService, Trading } from '../../support/trading.js';

const accountOf = (service: SkaldService) => suite().accounts[service];
const others = (service: SkaldService) => SKALD_SERVICES.filter((other) => other !== service);

/** The broker's answer to one operation on a fresh channel of `service`'s user: 'ok' or the refusal. */
async function attempt(connection: ChannelModel, operation: (channel: Channel) => Promise<unknown> | unknown): Promise<string> {
  const channel = await connection.createConfirmChannel();
  const closed = new Promise<string>((resolve) => {
    channel.on('error', (error: Error) => resolve(error.message));
    channel.on('close', () => resolve('closed'));
  });
  try {
    await operation(channel);
    // A refused publish is answered by closing the channel; an accepted one is confirmed.
    await channel.waitForConfirms();
  } catch {
    // The reason arrives with the channel's close.
    return closed;
  }
  await channel.close();
  return 'ok';
}

describe('least privilege: each service runs as its own PostgreSQL role and RabbitMQ user', () => {
  const smtp = new TestSmtpServer();
  const connections = new Map<SkaldService, ChannelModel>();

  beforeAll(async () => {
    await smtp.start(suite().ports.smtp);
    for (const service of SKALD_SERVICES) {
      const connection = await amqplib.connect(accountOf(service).rabbitmqUrl);
      connection.on('error', () => undefined);
      connections.set(service, connection);
    }
  });

  afterAll(async () => {
    for (const connection of connections.values()) await connection.close().catch(() => undefined);
    await smtp.stop();
  });

  it.each(SKALD_SERVICES)('%s is connected to its database as its own role: no superuser, cannot create databases or roles', async (service) => {
    const { account } = accountOf(service);
    const roles = await queryService(service, `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    expect(roles.map((r) => r.usename)).toEqual([account]);
    const [role] = await queryService(service, `SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication FROM pg_roles WHERE rolname = $1`, [account]);
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false });
    const [database] = await queryService(service, `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()`);
    expect(database.owner).toBe(account);
  });

  it('takes an order from placement to delivery with these permissions, every service doing its part', async () => {
    const shop = await createPlatform(`Least privilege ${randomUUID().slice(0, 6)}`);
    const trading = new Trading(shop.client, await createStaffKey(['inventory', 'reviewer', 'ops']), await createStaffKey(['warehouse']));
    const warehouse = await trading.warehouse('WH-LP', 1);
    const sku = await trading.sku('LP-MUG', 12);
    const email = `least-${trading.run.toLowerCase()}@example.test`;
    const orderId = await trading.deliveredOrder(warehouse, sku, 2, 12, { email });
    await smtp.waitForMail((mail) => mail.to.includes(email) && /delivered/i.test(mail.subject));

    // Each consumer handled the order's messages from its own queue; the gateway's relay published.
    for (const service of ['orders', 'inventory', 'warehouse', 'returns', 'notifications'] as const) {
      const handled = await waitFor(`${service} handled the order's messages`, async () => {
        const rows = await queryService(service, `SELECT count(*)::int AS n FROM inbox_message WHERE correlation_id = $1`, [orderId]);
        return rows[0].n > 0 ? rows[0].n : undefined;
      });
      expect(handled).toBeGreaterThan(0);
    }
    // The gateway consumes nothing: its part is publishing (the platform registered above).
    const gatewayOutbox = await waitFor("the gateway's outbox sent", async () => {
      const [row] = await queryService('gateway', `SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent, count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent FROM outbox_message`);
      return row.unsent === 0 ? row : undefined;
    });
    expect(gatewayOutbox.sent).toBeGreaterThan(0);
  });

  it.each(SKALD_SERVICES)("%s's user may not consume, delete or declare another service's queues (ACCESS_REFUSED)", async (service) => {
    const connection = connections.get(service)!;
    const refusals: Record<string, string> = {};
    for (const other of others(service)) {
      refusals[`consume skald.${other}`] = await attempt(connection, (channel) => channel.consume(`skald.${other}`, () => undefined));
      refusals[`get skald.${other}.dlq`] = await attempt(connection, (channel) => channel.get(`skald.${other}.dlq`));
      refusals[`delete skald.${other}`] = await attempt(connection, (channel) => channel.deleteQueue(`skald.${other}`, { ifUnused: true, ifEmpty: true }));
      refusals[`declare skald.${other}.retry.1ms`] = await attempt(connection, (channel) => channel.assertQueue(`skald.${other}.retry.1ms`, { durable: true }));
    }
    for (const [operation, answer] of Object.entries(refusals)) expect({ operation, answer }).toEqual({ operation, answer: expect.stringContaining('ACCESS_REFUSED') });
  });

  it('lets a service publish only to the exchanges its messages go to (ACCESS_REFUSED elsewhere)', async () => {
    const publish = (service: SkaldService, exchange: string) =>
      // A routing key nobody binds: an accepted message lands in the unrouted queue, touching no service.
      attempt(connections.get(service)!, (channel) => channel.publish(exchange, `least-privilege.${randomUUID()}.v1`, Buffer.from('{}')));
    const answers: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const service of SKALD_SERVICES) {
      for (const exchange of [EVENTS_EXCHANGE, COMMANDS_EXCHANGE, 'amq.topic']) {
        const answer = await publish(service, exchange);
        answers[`${service} → ${exchange}`] = answer === 'ok' ? 'ok' : answer.includes('ACCESS_REFUSED') ? 'refused' : answer;
        expected[`${service} → ${exchange}`] = PUBLISHES[service].includes(exchange) ? 'ok' : 'refused';
      }
    }
    // Not everyone may publish everywhere: the table is not trivially all 'ok'.
    expect(Object.values(expected).filter((answer) => answer === 'refused').length).toBeGreaterThanOrEqual(10);
    expect(answers).toEqual(expected);
  });

  it.each(SKALD_SERVICES)("%s's role may not connect to another service's database, nor create one", async (service) => {
    const own = accountOf(service).databaseUrl;
    const answers: Record<string, string | undefined> = {};
    for (const other of others(service)) {
      const url = new URL(own);
      url.pathname = `/${accountOf(other).account}`;
      const client = new pg.Client({ connectionString: url.toString() });
      answers[other] = await client.connect().then(
        async () => {
          await client.end();
          return 'connected';
        },
        (error: { code?: string }) => error.code,
      );
    }
    expect(answers).toEqual(Object.fromEntries(others(service).map((other) => [other, '42501']))); // insufficient_privilege

    const client = new pg.Client({ connectionString: own });
    await client.connect();
    try {
      await expect(client.query(`CREATE DATABASE "${accountOf(service).account}_more"`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
  });
});
