import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { runToExit } from '../../support/processes.js';
import { suite } from '../../support/suite-state.mjs';
import { queryService, Trading } from '../../support/trading.js';

interface Entry {
  at: string;
  service: string;
  kind: string;
  summary: string;
  messageId?: string;
  handler?: string;
}

const SERVICES = ['orders', 'inventory', 'warehouse', 'returns', 'notifications'] as const;

/**
 * The on-call view of a real saga: an order placed, reserved, picked, packed, shipped and
 * delivered by the six services, then a return of it; each read back as one timeline merged from
 * every service (GET /v1/sagas/{id|rma}) and printed by `skald trace`.
 */
describe('saga timeline end to end (six services, real PostgreSQL and RabbitMQ)', () => {
  let t: Trading;
  let ops: GatewayClient;
  let sku: string;
  let wh: string;

  beforeAll(async () => {
    const staff = await createStaffKey(['inventory', 'ops']);
    const operator = await createStaffKey(['warehouse']);
    ops = await createStaffKey(['ops']);
    const shop = await createPlatform('Traced shop');
    t = new Trading(shop.client, staff, operator);
    sku = await t.sku('TRACE', 10);
    wh = await t.warehouse('WH-TRACE', 1);
  });

  /** Every message a service handled for the saga, from its inbox. */
  const handledBy = async (service: (typeof SERVICES)[number], correlationId: string) =>
    (await queryService<{ message_id: string }>(service, `SELECT message_id FROM inbox_message WHERE correlation_id = $1`, [correlationId])).map((row) => row.message_id);

  it("merges an order's saga from five services, time-ordered, every handled message with its handler; skald trace prints it", async () => {
    const orderId = await t.deliveredOrder(wh, sku, 2, 10);
    const handled = Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await handledBy(service, orderId)] as const)));

    const timeline = await ops.expect(200, ops.get(`/v1/sagas/${orderId}`));

    const entries = timeline.entries as Entry[];
    expect(timeline.gaps).toEqual([]);
    for (const service of ['orders', 'inventory', 'warehouse', 'notifications', 'returns']) expect(entries.map((entry) => entry.service)).toContain(service);
    const times = entries.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const service of SERVICES) {
      expect(handled[service].length).toBeGreaterThan(0);
      for (const messageId of handled[service]) {
        const entry = entries.find((candidate) => candidate.service === service && candidate.kind === 'message.handled' && candidate.messageId === messageId);
        expect(entry?.handler).toMatch(/^\w+\.\w+$/);
      }
    }
    expect(entries.some((entry) => entry.kind === 'saga.state')).toBe(true);
    expect(entries.some((entry) => entry.kind === 'notification')).toBe(true);
    expect(timeline.sagas).toEqual([expect.objectContaining({ id: orderId, type: 'order', service: 'orders' })]);

    const traced = await runToExit('gateway', 'dist/cli.js', { SKALD_URL: suite().urls.gateway, SKALD_API_KEY: ops.key }, ['trace', orderId]);
    expect(traced.code).toBe(0);
    const lines = traced.stdout.trimEnd().split('\n');
    expect(lines.find((line) => line.startsWith('TIME (UTC)'))).toMatch(/^TIME \(UTC\)\s+\+SINCE\s+SERVICE\s+KIND\s+SUMMARY\s+TRACE$/);
    // A step per line (the saga may have gone on since: its last messages still arriving).
    expect(lines.filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\s/.test(line)).length).toBeGreaterThanOrEqual(entries.length);
    expect(lines.at(-1)).toMatch(/^(PENDING|DONE) /);
    // Not a terminal: no colour codes.
    expect(traced.stdout).not.toContain('\x1b[');
  });

  it("reads a return's saga by its RMA number, naming its order, and waits for the goods", async () => {
    const orderId = await t.deliveredOrder(wh, sku, 1, 10);
    const asked = await t.shop.expect(202, t.shop.post('/v1/returns', { orderId, lines: [{ sku, quantity: 1, reasonCode: 'DAMAGED_IN_TRANSIT' }], resolution: 'refund' }));

    const timeline = await ops.expect(200, ops.get(`/v1/sagas/${asked.rmaNumber}`));

    expect(timeline).toMatchObject({ ref: asked.rmaNumber, correlationId: asked.id, orderId });
    expect(timeline.sagas).toEqual([expect.objectContaining({ id: asked.id, type: 'return', state: 'approved', service: 'returns', finished: false })]);
    expect((timeline.entries as Entry[]).some((entry) => entry.service === 'returns' && entry.kind.startsWith('saga.'))).toBe(true);
    expect(timeline.pending).toMatchObject({ sagaId: asked.id, state: 'approved', waitingFor: [expect.any(String)], deadline: expect.any(String), overdue: false });

    const [unknown, platformRefused] = await Promise.all([ops.get('/v1/sagas/RMA-1999-000001'), t.shop.get(`/v1/sagas/${orderId}`)]);
    expect([unknown.status, unknown.body.code, platformRefused.status]).toEqual([404, 'SAGA_NOT_FOUND', 403]);
  });

  it('skald sagas stuck answers from orders and returns', async () => {
    const listed = await runToExit('gateway', 'dist/cli.js', { SKALD_URL: suite().urls.gateway, SKALD_API_KEY: ops.key }, ['sagas', 'stuck', '--limit', '5']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain('GAP');
  });
});
