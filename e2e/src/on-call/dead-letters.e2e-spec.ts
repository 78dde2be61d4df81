import { waitFor } from '@skald/testing';
import { ForcedFailure } from '../../support/forced-failure.js';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { runToExit } from '../../support/processes.js';
import { suite } from '../../support/suite-state.mjs';
import { Trading } from '../../support/trading.js';

/**
 * On-call's dead letters end to end: a saga step that fails until a flag flips ends in the
 * warehouse's dead-letter queue within seconds (the suite retries after 100 and 500 ms);
 * `skald dlq list` shows it with its reason; once the flag is gone `skald dlq replay --all-for`
 * continues the saga to delivery, with one outbound note and one reservation per line, and the
 * replay is on record. The fault is the test's own (ForcedFailure): a trigger on the warehouse's
 * outbound_note table refuses this test's order's notes until the flag is lowered.
 */
describe('dead letters for on-call: a failing saga step dead-lettered, listed, replayed to the end (six services, real PostgreSQL and RabbitMQ)', () => {
  let t: Trading;
  let ops: GatewayClient;
  let fault: ForcedFailure;

  const dlq = async (...args: string[]) => {
    const result = await runToExit('gateway', 'dist/cli.js', { SKALD_URL: suite().urls.gateway, SKALD_API_KEY: ops.key }, ['dlq', ...args]);
    return { code: result.code, out: result.stdout.trim().split('\n'), err: result.stderr };
  };

  beforeAll(async () => {
    ops = await createStaffKey(['inventory', 'ops']);
    t = new Trading((await createPlatform('DLQ Shop')).client, ops, await createStaffKey(['warehouse']));
    fault = await ForcedFailure.install(suite().databases.warehouse, {
      table: 'outbound_note',
      on: 'BEFORE INSERT',
      message: 'e2e fault: outbound notes of % refused while the flag is up',
    });
  });

  afterAll(async () => {
    await fault?.remove();
  });

  it('dead-letters the refused step within seconds, lists it with its reason, and replays it to delivery with every effect once', async () => {
    const warehouse = await t.warehouse('WH-DLQ', 1);
    const sku = await t.sku('DLQ-MUG', 10);
    await t.receive(warehouse, [{ sku, quantity: 5 }]);
    // The flag is up before the order exists: its notes are refused from the first attempt.
    const { externalId, body } = t.orderRequest([{ sku, quantity: 2, unitPrice: 10 }], { paid: true });
    await fault.raise(externalId);
    const placedAt = Date.now();
    const orderId: string = (await t.shop.expect(202, t.shop.post('/v1/orders', body))).id;

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
    expect((await t.order(orderId)).status).toBe('reserved');
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

    const notes = await t.notesOf(orderId, 1);
    expect(notes.map((n) => `${n.warehouse} ${n.status}`)).toEqual([`${warehouse} created`]);
    const shipmentId = await t.shipAll(notes[0].id);
    await t.reaches(orderId, 'shipped');
    await t.operator.expect(200, t.operator.post(`/v1/shipments/${shipmentId}/delivered`, {}));
    const delivered = await t.reaches(orderId, 'delivered');
    expect(t.history(delivered)).toEqual(['received', 'approved', 'reserved', 'released', 'picking', 'packed', 'shipped', 'delivered']);

    // Every effect once: one note, one reservation and one shipment in the stock ledger.
    const rows = await fault.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_note WHERE order_id = $1`, [orderId]);
    expect(rows[0].n).toBe(1);
    expect(await t.ledgerLines(sku)).toEqual([`${warehouse} receipt 5/0`, `${warehouse} reserve 0/2`, `${warehouse} ship -2/-2`]);

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
