import { databaseNameOf } from '@skald/persistence';
import { waitFor } from '@skald/testing';
import amqplib from 'amqplib';
import pg from 'pg';
import { SERVICES } from '../../../scripts/lib/suite.mjs';
import { createPlatform, createStaffKey } from '../../support/gateway-client.js';
import { suite } from '../../support/suite-state.mjs';
import { Trading } from '../../support/trading.js';

/** Ten times the suite's whole retry schedule (MESSAGING_RETRY_DELAYS_MS 100,500). */
const OUTAGE_MS = 6_000;

/** The PostgreSQL server's maintenance database, to switch a service's database off and on. */
async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(suite().databases.inventory);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function deadLetters(): Promise<Record<string, number>> {
  const connection = await amqplib.connect(suite().rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    const counts: Record<string, number> = {};
    for (const { name } of SERVICES) counts[name] = (await channel.checkQueue(`skald.${name}.dlq`)).messageCount;
    return counts;
  } finally {
    await connection.close();
  }
}

describe('a database outage longer than the retry schedule (six services, real PostgreSQL and RabbitMQ)', () => {
  const inventoryDatabase = () => databaseNameOf(suite().databases.inventory);

  afterEach(async () => {
    // Whatever happened, the suite's other files get their database back.
    await admin((client) => client.query(`ALTER DATABASE "${inventoryDatabase()}" ALLOW_CONNECTIONS true`));
  });

  it('dead-letters nothing: inventory waits while its database refuses connections, and every order goes on afterwards', async () => {
    const t = new Trading((await createPlatform('Outage shop')).client, await createStaffKey(['inventory', 'reviewer', 'ops']), await createStaffKey(['warehouse']));
    const sku = await t.sku('OUT', 3);
    const wh = await t.warehouse('WH-OUT', 1);
    await t.receive(wh, [{ sku, quantity: 20 }]);
    const before = await deadLetters();

    // The database refuses every new connection, and the open ones are cut.
    await admin(async (client) => {
      await client.query(`ALTER DATABASE "${inventoryDatabase()}" ALLOW_CONNECTIONS false`);
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [inventoryDatabase()]);
    });
    const outageStarted = Date.now();

    // Orders keep coming in (orders' own database is up); their reservations wait for inventory.
    const placed = [];
    for (let i = 0; i < 5; i++) placed.push(await t.place([{ sku, quantity: 2, unitPrice: 3 }], { paid: true }));

    // Inventory says it is not ready, and its API answers at once that it is unavailable.
    const readiness = await waitFor('inventory not ready', async () => {
      const res = await fetch(`${suite().urls.inventory}/health/ready`);
      return res.status === 503 ? res.json() : undefined;
    });
    expect(readiness).toMatchObject({ status: 503 });
    const asked = Date.now();
    const stock = await t.staff.get(`/v1/stock/${sku}`);
    expect({ status: stock.status, code: stock.body?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(stock.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Date.now() - asked).toBeLessThan(5_000);

    // Ten retry schedules later, the orders still wait for their stock and nothing is dead-lettered.
    await waitFor('the outage to outlast the retry schedule', () => Date.now() - outageStarted > OUTAGE_MS, OUTAGE_MS + 5_000);
    for (const { id } of placed) expect(['released', 'cancelled', 'rejected']).not.toContain((await t.order(id)).status);
    expect(await deadLetters()).toEqual(before);

    await admin((client) => client.query(`ALTER DATABASE "${inventoryDatabase()}" ALLOW_CONNECTIONS true`));

    await waitFor('inventory ready again', async () => (await fetch(`${suite().urls.inventory}/health/ready`)).status === 200, 30_000);
    for (const { id } of placed) await t.reaches(id, 'released', 60_000);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 20, reserved: 10, available: 10 }]);
    await t.expectStockMatchesLedger(sku);
    expect(await deadLetters()).toEqual(before);
  }, 180_000);
});
