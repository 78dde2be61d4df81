import { randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import { ForcedFailure } from '../../support/forced-failure.js';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { runToExit } from '../../support/processes.js';
import { catalogReachedOrders } from '../../support/replicas.js';
import { suite } from '../../support/suite-state.mjs';

/**
 * On-call's dead letters end to end: a saga step that fails until a flag flips ends in the
 * warehouse's dead-letter queue within seconds (the suite retries after 100 and 500 ms);
 * `skald dlq list` shows it with its reason; once the flag is gone `skald dlq replay --all-for`
 * continues the saga to delivery, with one outbound note and one reservation per line, and the
 * replay is on record. The fault is the test's own (ForcedFailure): a trigger on the warehouse's
 * outbound_note table refuses this test's order's notes until the flag is lowered.
 */
describe('dead letters for on-call: a failing saga step dead-lettered, listed, replayed to the end (six services, real PostgreSQL and RabbitMQ)', () => {
  const run = randomUUID().slice(0, 6).toUpperCase();
  const tag = run.toLowerCase();
  const externalId = `DLQ-${run}`;
  let fault: ForcedFailure;
  let shop: GatewayClient;
  let ops: GatewayClient;
  let operator: GatewayClient;

  const dlq = async (...args: string[]) => {
    const result = await runToExit('gateway', 'dist/cli.js', { SKALD_URL: suite().urls.gateway, SKALD_API_KEY: ops.key }, ['dlq', ...args]);
    return { code: result.code, out: result.stdout.trim().split('\n'), err: result.stderr };
  };

  beforeAll(async () => {
    fault = await ForcedFailure.install(suite().databases.warehouse, {
      table: 'outbound_note',
      on: 'BEFORE INSERT',
      message: 'e2e fault: outbound notes of % refused while the flag is up',
    });
    await fault.raise(externalId);
    shop = (await createPlatform(`DLQ Shop ${run}`)).client;
    ops = await createStaffKey(['inventory', 'ops']);
    operator = await createStaffKey(['warehouse']);
  });

  afterAll(async () => {
    await fault?.remove();
  });

  const order = (id: string) => shop.expect(200, shop.get(`/v1/orders/${id}`));
  const reaches = (id: string, status: string) =>
    waitFor(`order ${id} ${status}`, async () => {
      const current = await order(id);
      return current.status === status ? current : undefined;
    }, 30_000);

  it('dead-letters the refused step within seconds, lists it with its reason, and replays it to delivery with every effect once', async () => {
    const warehouse = `WH-DLQ-${run}`;
    const sku = `DLQ-MUG-${run}`;
    await ops.expect(200, ops.put(`/v1/warehouses/${warehouse}`, { priority: 1, name: 'Dead letters' }));
    await ops.expect(200, ops.put(`/v1/catalog/${sku}`, { name: 'Mug', listPrice: 10, currency: 'EUR', sellable: true, returnable: true }));
    await ops.expect(201, ops.post('/v1/stock/receipts', { warehouse, lines: [{ sku, quantity: 5 }] }));
    await catalogReachedOrders([sku]);

    const placedAt = Date.now();
    const placed = await shop.expect(202, shop.post('/v1/orders', {
      externalId,
      channel: 'web',
      customer: { id: `C-${run}`, name: 'Dee Letter', email: `dee-${tag}@example.test` },
      lines: [{ sku, quantity: 2, unitPrice: 10 }],
      currency: 'EUR',
      shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
      payment: { method: 'card', status: 'paid', amount: 20 },
    }));
    const orderId: string = placed.id;

    // Reserved, then the warehouse refuses its notes on every attempt: a dead letter, in seconds.
    const dead = await waitFor('the refused notes dead-lettered', async () => {
      const listed = await ops.expect(200, ops.get(`/v1/dead-letters?saga=${orderId}`));
      // Recorded first, then moved to the queue: both, for what follows.
      return listed.deadLetters.some((d: { inQueue: boolean }) => d.inQueue) ? listed : undefined;
    }, 20_000);
    expect(Date.now() - placedAt).toBeLessThan(20_000);
    expect(dead.correlationId).toBe(orderId);
    expect(dead.services.every((s: { available: boolean }) => s.available)).toBe(true);
    expect(dead.deadLetters).toEqual([
      expect.objectContaining({ service: 'warehouse', correlationId: orderId, reason: 'RETRIES_EXHAUSTED', attempts: 3, status: 'dead', inQueue: true, recorded: true }),
    ]);
    const letter = dead.deadLetters[0];
    expect(letter.error).toContain('e2e fault');
    // The saga waits for the notes: the order stays reserved.
    expect((await order(orderId)).status).toBe('reserved');
    // The saga's timeline shows the dead letter with its reason, and what the saga waits for.
    const stuck = await ops.expect(200, ops.get(`/v1/sagas/${orderId}`));
    expect(stuck.entries).toContainEqual(expect.objectContaining({ service: 'warehouse', kind: 'message.dead-lettered', messageId: letter.messageId, failure: true, detail: expect.objectContaining({ reason: 'RETRIES_EXHAUSTED', error: expect.stringContaining('e2e fault') }) }));
    expect(stuck.pending).toMatchObject({ type: 'order', state: 'releasing' });

    const listed = await dlq('list', 'warehouse');
    expect(listed.code).toBe(0);
    const line = listed.out.find((l) => l.includes(letter.messageId));
    expect(line).toMatch(/warehouse\s+dead\s+RETRIES_EXHAUSTED\s+3\s/);
    expect(line).toContain(orderId);
    expect(listed.out.at(-1)).toMatch(/warehouse [1-9]\d*/);

    // The cause is fixed: the flag comes down, and the saga's dead letters are replayed.
    await fault.lower(externalId);
    const replayed = await dlq('replay', '--all-for', orderId);
    expect(replayed).toMatchObject({ code: 0, out: [`replayed ${letter.messageId} in warehouse`, '1 message(s) replayed'] });

    const notes = await waitFor('the outbound note made by the replayed command', async () => {
      const page = await operator.expect(200, operator.get(`/v1/outbound-notes?orderId=${orderId}`));
      return page.items.length > 0 ? (page.items as Array<{ id: string; warehouse: string; status: string }>) : undefined;
    }, 20_000);
    expect(notes.map((n) => `${n.warehouse} ${n.status}`)).toEqual([`${warehouse} created`]);
    const [note] = notes;
    await operator.expect(200, operator.post(`/v1/outbound-notes/${note.id}/confirm`));
    await operator.expect(200, operator.post(`/v1/outbound-notes/${note.id}/pick`));
    await operator.expect(200, operator.post(`/v1/outbound-notes/${note.id}/pack`));
    const shipped = await operator.expect(200, operator.post(`/v1/outbound-notes/${note.id}/ship`, { carrier: 'bpost', trackingNumber: `TRK-${run}` }));
    await reaches(orderId, 'shipped');
    await operator.expect(200, operator.post(`/v1/shipments/${shipped.shipment.id}/delivered`, {}));
    const delivered = await reaches(orderId, 'delivered');
    expect(delivered.statusHistory.map((h: { status: string }) => h.status)).toEqual(['received', 'approved', 'reserved', 'released', 'picking', 'packed', 'shipped', 'delivered']);

    // Every effect once: one note, one reservation and one shipment in the stock ledger.
    const rows = await fault.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_note WHERE order_id = $1`, [orderId]);
    expect(rows[0].n).toBe(1);
    const ledger = (await ops.expect(200, ops.get(`/v1/stock/${sku}/ledger?limit=50`))).items as Array<{ kind: string; onHandDelta: number; reservedDelta: number }>;
    expect(ledger.map((e) => `${e.kind} ${e.onHandDelta}/${e.reservedDelta}`)).toEqual(['receipt 5/0', 'reserve 0/2', 'ship -2/-2']);

    // The replay is on record, with who did it; nothing of the saga is dead any more.
    const recorded = await ops.expect(200, ops.get(`/v1/dead-letters/${letter.messageId}`));
    expect(recorded).toMatchObject({ service: 'warehouse', status: 'replayed', inQueue: false, actions: [{ action: 'replayed', by: expect.any(String), at: expect.any(String) }] });
    const timeline = await ops.expect(200, ops.get(`/v1/sagas/${orderId}`));
    const kinds = (timeline.entries as Array<{ kind: string; messageId?: string }>).filter((e) => e.messageId === letter.messageId).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['message.dead-lettered', 'message.replayed', 'message.handled']));
    expect(kinds.indexOf('message.replayed')).toBeLessThan(kinds.lastIndexOf('message.handled'));
    expect(timeline.pending).toBeNull();
    const after = await ops.expect(200, ops.get(`/v1/dead-letters?saga=${orderId}`));
    expect(after.deadLetters.map((d: { status: string }) => d.status)).toEqual(['replayed']);
    expect((await dlq('replay', letter.messageId)).code).toBe(1);
  });
});
