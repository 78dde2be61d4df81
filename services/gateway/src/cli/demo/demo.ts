import { randomBytes } from 'node:crypto';
import type { Command } from '../commands.js';
import type { CliIo } from '../cli-io.js';
import type { GatewayDatabase } from '../gateway-database.js';
import { DemoApi, poll } from './demo-api.js';

/** The demo shop's catalog: twenty teas and tea things, list prices in EUR. */
const CATALOG: Array<[code: string, name: string, price: number]> = [
  ['EARLGREY', 'Earl Grey, 250 g', 8.5],
  ['ASSAM', 'Assam Breakfast, 250 g', 7.9],
  ['DARJEELING', 'Darjeeling First Flush, 100 g', 14.5],
  ['SENCHA', 'Sencha, 100 g', 9.9],
  ['GENMAICHA', 'Genmaicha, 200 g', 8.9],
  ['MATCHA', 'Ceremonial Matcha, 30 g', 24],
  ['OOLONG', 'Tie Guan Yin Oolong, 100 g', 12.5],
  ['PUERH', 'Pu-erh Cake, 357 g', 32],
  ['ROOIBOS', 'Rooibos Vanilla, 200 g', 6.5],
  ['CHAMOMILE', 'Chamomile Blossoms, 80 g', 5.9],
  ['MINT', 'Moroccan Mint, 150 g', 6.9],
  ['CHAI', 'Masala Chai, 250 g', 9.5],
  ['JASMINE', 'Jasmine Pearls, 100 g', 15.9],
  ['LAPSANG', 'Lapsang Souchong, 100 g', 10.5],
  ['WHITE', 'Bai Mu Dan White, 50 g', 13.9],
  ['TEAPOT', 'Cast-iron Teapot, 0.8 l', 49],
  ['KYUSU', 'Kyusu Clay Teapot, 0.3 l', 65],
  ['INFUSER', 'Steel Infuser', 4.5],
  ['CUPS', 'Porcelain Cups, set of 4', 29],
  ['SAMOVAR', 'Electric Samovar, 3 l', 189],
];
function listPrice(code: string): number {
  const item = CATALOG.find(([candidate]) => candidate === code);
  if (!item) throw new Error(`no ${code} in the demo catalog`);
  return item[2];
}

/** The SKU stock is short of: one unit in the second warehouse only. */
const SHORT = 'JASMINE';
/** Orders above this amount wait for a reviewer. */
const REVIEW_THRESHOLD = 500;
const STAFF_ROLES = ['inventory', 'warehouse', 'reviewer', 'ops'] as const;

interface DemoOrder {
  /** The status the demo takes the order to. */
  status: 'released' | 'on_hold' | 'backordered' | 'shipped' | 'cancelled';
  id: string;
  externalId: string;
}

/**
 * `demo`: against the running suite, sets up a demo platform with a staff key, a catalog of twenty
 * SKUs, two warehouses with stock (one SKU short), and places orders that end released, on hold,
 * backordered, shipped and cancelled. Every run is a new demo: its names carry a fresh tag.
 * Prints a progress line per step, then the keys and three curl commands to try.
 */
export function demo(gatewayUrl: string): Command {
  return {
    async run(db: GatewayDatabase, io: CliIo) {
      const tag = randomBytes(2).toString('hex').toUpperCase();
      const steps = 10;
      let n = 0;
      const step = async <T>(title: string, work: () => Promise<T>): Promise<T> => {
        n += 1;
        const started = Date.now();
        io.out(`[${n}/${steps}] ${title} …`);
        const result = await work();
        io.out(`[${n}/${steps}] ${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return result;
      };

      await step(`the suite at ${gatewayUrl} is ready`, async () => {
        // Before anything is written: a demo against no suite leaves no key behind.
        const health = await new DemoApi(gatewayUrl, '').call('GET', '/health/ready');
        if (health.status !== 200) throw new Error(`the gateway at ${gatewayUrl} is not ready (${health.status}): ${JSON.stringify(health.body)}`);
      });
      const staffKey = await step(`staff key (roles ${STAFF_ROLES.join(', ')})`, () =>
        db.dataSource.transaction((manager) => db.keys.issueStaffKey(manager, [...STAFF_ROLES])),
      );
      const staff = new DemoApi(gatewayUrl, staffKey.key);
      const sku = (code: string) => `D${tag}-${code}`;
    

      await step(`catalog of ${CATALOG.length} SKUs (D${tag}-…)`, async () => {
        for (const [code, name, listPrice] of CATALOG) {
          await staff.expect(200, 'PUT', `/v1/catalog/${sku(code)}`, { name, listPrice, currency: 'EUR', sellable: true, returnable: true });
        }
      });
      const [north, south] = [`D${tag}-NORTH`, `D${tag}-SOUTH`];
      await step(`warehouses ${north} (first) and ${south} with stock; ${sku(SHORT)} short`, async () => {
        await staff.expect(200, 'PUT', `/v1/warehouses/${north}`, { priority: 1, name: `Demo ${tag} North` });
        await staff.expect(200, 'PUT', `/v1/warehouses/${south}`, { priority: 2, name: `Demo ${tag} South` });
        const plenty = CATALOG.filter(([code]) => code !== SHORT);
        await staff.expect(201, 'POST', '/v1/stock/receipts', { warehouse: north, lines: plenty.map(([code]) => ({ sku: sku(code), quantity: 40 })) });
        await staff.expect(201, 'POST', '/v1/stock/receipts', {
          warehouse: south,
          lines: [...plenty.map(([code]) => ({ sku: sku(code), quantity: 10 })), { sku: sku(SHORT), quantity: 1 }],
        });
      });

      const { platform, key: platformKey } = await step(`platform "Skald Demo ${tag}" (review above ${REVIEW_THRESHOLD} EUR)`, async () => {
        const registered = await db.dataSource.transaction((manager) =>
          db.platforms.register(manager, { name: `Skald Demo ${tag}`, priceTolerancePct: '0', reviewAmountThreshold: String(REVIEW_THRESHOLD) }),
        );
        // The orders service learns of the platform by an event: wait until it knows it.
        await poll('the orders service to know the platform', async () => {
          const answer = await staff.call('GET', `/v1/platforms/${registered.platform.id}/customers/demo-probe`);
          return answer.status === 404 && answer.body?.code === 'PLATFORM_NOT_FOUND' ? undefined : true;
        });
        return registered;
      });
      const shop = new DemoApi(gatewayUrl, platformKey.key);

      let seq = 0;
      const order = async (status: DemoOrder['status'], lines: Array<[code: string, quantity: number]>, extra: Record<string, unknown> = {}): Promise<DemoOrder> => {
        seq += 1;
        const externalId = `DEMO-${tag}-${seq}`;
        const orderLines = lines.map(([code, quantity]) => ({ sku: sku(code), quantity, unitPrice: listPrice(code) }));
        const total = Math.round(orderLines.reduce((sum, line) => sum + line.quantity * line.unitPrice * 100, 0)) / 100;
        const body = {
          externalId,
          channel: 'web',
          customer: { id: `demo-customer-${seq}`, name: CUSTOMERS[seq % CUSTOMERS.length], email: `customer-${seq}@demo.skald.example`, phone: `+32 470 00 00 ${String(seq).padStart(2, '0')}` },
          lines: orderLines,
          currency: 'EUR',
          shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
          payment: { method: 'card', status: 'paid', amount: total },
          ...extra,
        };
        const placed = await shop.expect(202, 'POST', '/v1/orders', body);
        return { status, id: placed.id, externalId };
      };
      const reaches = (placed: DemoOrder, status: string) =>
        poll(`order ${placed.externalId} to be ${status}`, async () => {
          const current = await shop.expect(200, 'GET', `/v1/orders/${placed.id}`);
          // States an order does not leave by itself: the demo went wrong, say why at once.
          if (current.status !== status && ['rejected', 'on_hold', 'cancelled'].includes(current.status)) {
            throw new Error(`order ${placed.externalId} is ${current.status}, not ${status}: ${JSON.stringify(current.review?.reasons ?? current.statusHistory?.at(-1) ?? null)}`);
          }
          return current.status === status ? current : undefined;
        });

      const orders: DemoOrder[] = [];
      await step('an order above the review threshold: on hold for a reviewer', async () => {
        const placed = await order('on_hold', [['KYUSU', 10]]);
        orders.push(placed);
        await reaches(placed, 'on_hold');
      });
      await step(`an order of 3 × ${sku(SHORT)} (1 in stock), backorder: backordered`, async () => {
        const placed = await order('backordered', [[SHORT, 3]], { shortagePolicy: { mode: 'backorder' } });
        orders.push(placed);
        await reaches(placed, 'backordered');
      });
      await step('an order cancelled by the customer after release: cancelled', async () => {
        const placed = await order('cancelled', [['CHAI', 2], ['INFUSER', 1]]);
        orders.push(placed);
        await reaches(placed, 'released');
        await shop.expect(202, 'POST', `/v1/orders/${placed.id}/cancel`, { reason: 'the customer changed their mind' });
        await reaches(placed, 'cancelled');
      });
      await step('a gift, picked, packed and shipped: shipped', async () => {
        const placed = await order('shipped', [['MATCHA', 1], ['CUPS', 1]], {
          shippingAddress: { line1: 'Veldstraat 12', city: 'Ghent', postalCode: '9000', country: 'BE', name: 'Bo Giftee', phone: '+32 470 12 34 56', company: 'Ghent Tea Club' },
        });
        orders.push(placed);
        await reaches(placed, 'released');
        const notes = (await staff.expect(200, 'GET', `/v1/outbound-notes?orderId=${placed.id}`)).items as Array<{ id: string }>;
        for (const note of notes) {
          for (const action of ['confirm', 'pick', 'pack']) await staff.expect(200, 'POST', `/v1/outbound-notes/${note.id}/${action}`);
          await staff.expect(200, 'POST', `/v1/outbound-notes/${note.id}/ship`, { carrier: 'bpost', trackingNumber: `DEMO${tag}${note.id.slice(0, 8).toUpperCase()}` });
        }
        await reaches(placed, 'shipped');
      });
      await step('an order released to the warehouse: released', async () => {
        const placed = await order('released', [['EARLGREY', 2], ['SENCHA', 1], ['TEAPOT', 1]]);
        orders.push(placed);
        await reaches(placed, 'released');
      });

      const byStatus = (status: DemoOrder['status']): DemoOrder => {
        const found = orders.find((o) => o.status === status);
        if (!found) throw new Error(`the demo has no ${status} order`);
        return found;
      };
      io.out('');
      io.out(`Demo ${tag} is ready at ${gatewayUrl}:`);
      io.out(`  platform          Skald Demo ${tag} (tenant id ${platform.id})`);
      io.out(`  platform key      ${platformKey.key}`);
      io.out(`  staff key         ${staffKey.key}  (roles ${STAFF_ROLES.join(', ')})`);
      io.out('  orders:');
      for (const placed of orders) io.out(`    ${placed.status.padEnd(12)} ${placed.id}  ${placed.externalId}`);
      io.out('');
      io.out('Try:');
      io.out(`  curl -s -H 'Authorization: Bearer ${platformKey.key}' ${gatewayUrl}/v1/orders/${byStatus('shipped').id}`);
      io.out(`  curl -s -H 'Authorization: Bearer ${staffKey.key}' '${gatewayUrl}/v1/outbound-notes?externalId=${byStatus('released').externalId}'`);
      io.out(
        `  curl -s -X POST -H 'Authorization: Bearer ${staffKey.key}' -H 'Content-Type: application/json' -d '{"decision":"approve","reason":"checked with the customer"}' ${gatewayUrl}/v1/orders/${byStatus('on_hold').id}/review`,
      );
      return 0;
    },
  };
}

const CUSTOMERS = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra', 'Barbara Liskov'];
