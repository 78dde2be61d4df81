import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GatewayClient } from '../../support/gateway-client.js';
import { runToExit } from '../../support/processes.js';
import { suite } from '../../support/suite-state.mjs';

const STATES = ['on_hold', 'backordered', 'cancelled', 'shipped', 'released'];

interface Demo {
  platform: GatewayClient;
  staff: GatewayClient;
  tenantId: string;
  orders: Array<{ status: string; id: string; externalId: string }>;
  curls: string[];
  progress: string[];
}

/** `npm run skald -- demo` against the shared suite, as a new user runs it next to `npm start`. */
async function runDemo(): Promise<Demo> {
  const { databases, urls } = suite();
  const result = await runToExit('gateway', 'dist/cli.js', { DATABASE_URL: databases.gateway, GATEWAY_URL: urls.gateway }, ['demo'], 180_000);
  if (result.code !== 0) throw new Error(`skald demo exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  const out = result.stdout;
  const one = (pattern: RegExp) => {
    const match = pattern.exec(out);
    if (!match) throw new Error(`no ${pattern} in:\n${out}`);
    return match[1];
  };
  return {
    platform: new GatewayClient(one(/^ {2}platform key\s+(sk_\S+)$/m), urls.gateway),
    staff: new GatewayClient(one(/^ {2}staff key\s+(sk_\S+)/m), urls.gateway),
    tenantId: one(/\(tenant id (\S+)\)/),
    orders: [...out.matchAll(/^ {4}(\w+)\s+([0-9a-f-]{36})\s+(DEMO-\S+)$/gm)].map(([, status, id, externalId]) => ({ status, id, externalId })),
    curls: out.split('\n').filter((line) => line.startsWith('  curl ')).map((line) => line.trim()),
    progress: out.split('\n').filter((line) => /^\[\d+\/\d+\] .*: done in/.test(line)),
  };
}

/** Every order is where the demo said it took it, seen through the API with the demo's own keys. */
async function expectStates(demo: Demo): Promise<void> {
  expect(demo.orders.map((o) => o.status)).toEqual(STATES);
  for (const order of demo.orders) {
    const view = await demo.platform.expect(200, demo.platform.get(`/v1/orders/${order.id}`));
    expect([order.externalId, view.status]).toEqual([order.externalId, order.status]);
    expect(view.tenantId).toBe(demo.tenantId);
  }
}

describe('npm run skald -- demo (against the running suite)', () => {
  it('sets up a platform, staff key, catalog, two warehouses and orders in five states; a second run makes a second demo', async () => {
    const first = await runDemo();
    await expectStates(first);
    expect(first.progress).toHaveLength(10);

    const second = await runDemo();
    await expectStates(second);
    expect(second.tenantId).not.toBe(first.tenantId);
    expect(new Set([...first.orders, ...second.orders].map((o) => o.id)).size).toBe(10);
    // Platforms stay apart: the second demo's key does not see the first demo's orders.
    expect((await second.platform.get(`/v1/orders/${first.orders[0].id}`)).status).toBe(404);

    // The shipped order is a gift: its recipient is on the order and on its outbound note.
    const shipped = second.orders.find((o) => o.status === 'shipped')!;
    const view = await second.platform.expect(200, second.platform.get(`/v1/orders/${shipped.id}`));
    expect(view.shippingAddress).toMatchObject({ name: 'Bo Giftee', phone: '+32 470 12 34 56', company: 'Ghent Tea Club' });
    expect(view.shipments).toEqual([expect.objectContaining({ id: expect.any(String), noteId: view.outboundNotes[0].id })]);
    const [note] = (await second.staff.expect(200, second.staff.get(`/v1/outbound-notes?orderId=${shipped.id}`))).items;
    expect(note).toMatchObject({ recipientName: 'Bo Giftee', recipientPhone: '+32 470 12 34 56', recipientCompany: 'Ghent Tea Club', status: 'shipped' });

    // The stock is short of one SKU: the backordered order waits for it.
    const backordered = await second.platform.expect(200, second.platform.get(`/v1/orders/${second.orders[1].id}`));
    const shortSku = backordered.lines[0].sku as string;
    const levels = (await second.staff.expect(200, second.staff.get(`/v1/stock/${shortSku}`))).warehouses as Array<{ onHand: number }>;
    expect(levels.reduce((sum, level) => sum + level.onHand, 0)).toBeLessThan(backordered.lines[0].quantity);

    // The three commands it prints work as pasted.
    expect(second.curls).toHaveLength(3);
    const run = async (line: string) => JSON.parse((await promisify(execFile)('bash', ['-c', line])).stdout);
    expect(await run(second.curls[0])).toMatchObject({ id: shipped.id, status: 'shipped' });
    const released = second.orders.find((o) => o.status === 'released')!;
    expect((await run(second.curls[1])).items).toEqual([expect.objectContaining({ externalId: released.externalId, orderId: released.id })]);
    expect(await run(second.curls[2])).toMatchObject({ id: second.orders[0].id, status: 'approved' });
  }, 400_000);
});
