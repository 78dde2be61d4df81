import { setTimeout as pause } from 'node:timers/promises';
import { waitFor } from '@skald/testing';
import { SERVICES } from '../../../scripts/lib/suite.mjs';
import { createPlatform, createStaffKey, type Reply } from '../../support/gateway-client.js';
import { queryService, Trading, type OrderLine, type PlaceOptions } from '../../support/trading.js';
import { FaultSuite } from './fault-suite.js';

/** Orders placed under the faults (FAULT_ORDERS to raise), a few at a time. */
const ORDERS = Math.max(20, Number(process.env.FAULT_ORDERS ?? 60));
const CONCURRENCY = 4;
/** How long a client keeps retrying one request before the test gives up on the suite. */
const CLIENT_PATIENCE_MS = 150_000;
/** A real platform's pause between two tries of a failed request (not a test waiting for a condition). */
const CLIENT_BACKOFF_MS = 250;

const FINAL_SAGA_STATES = ['completed', 'cancelled', 'rejected'];
const FINAL_STATUSES = ['delivered', 'cancelled', 'rejected'];
const OPEN_NOTE_STEPS = [
  ['created', 'confirm'],
  ['confirmed', 'pick'],
  ['picking', 'pack'],
  ['packed', 'ship'],
] as const;

interface Fault {
  name: string;
  inject(): Promise<string>;
}

/**
 * Orders flow through the whole suite while each service in turn is SIGKILLed and restarted, every
 * broker connection is closed and every database connection terminated. The platform retries a
 * failed request with the same Idempotency-Key until it is accepted (what a real platform does),
 * a scripted operator ships what is released, some orders are cancelled. Afterwards nothing is
 * lost, doubled, stuck, left reserved, delivered twice or dead-lettered.
 */
describe('faults under load (own suite of six services, SIGKILL, broker and database connections cut)', () => {
  const suite = new FaultSuite();
  const started = Date.now();
  const retries = new Map<string, number>();
  const faultLog: string[] = [];
  /** 500s the platform saw (retried like any 5xx; listed because a fault should read as 503). */
  const internalErrors: string[] = [];
  /** Set when the test ends, passed or failed: the platform and the operator stop. */
  let stopped = false;

  afterAll(async () => {
    stopped = true;
    await suite.stop();
  });

  /**
   * Sends a request until it gets an answer that is not a failure of the suite: a 5xx, no answer
   * at all, or "the same key is still running" (its first try was cut off with its gateway).
   */
  /**
   * Calls until the answer is not a 5xx (nor a connection error). A key still in progress (409
   * IDEMPOTENCY_KEY_IN_USE: its first try was cut off with a gateway) is waited out too, unless
   * `inUseLater`: then the caller comes back to it later and goes on with other work meanwhile.
   */
  async function persistently(what: string, call: () => Promise<Reply>, { inUseLater = false } = {}): Promise<Reply> {
    const deadline = Date.now() + CLIENT_PATIENCE_MS;
    for (;;) {
      if (stopped) throw new Error(`${what}: the test ended`);
      let failure: string;
      try {
        const reply = await call();
        const inUse = reply.status === 409 && reply.body?.code === 'IDEMPOTENCY_KEY_IN_USE';
        if (reply.status < 500 && (!inUse || inUseLater)) return reply;
        failure = `${reply.status} ${reply.body?.code ?? ''}`.trim();
        if (reply.status === 500) internalErrors.push(`${what}: ${JSON.stringify(reply.body)}`);
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        failure = cause?.code ?? (error as Error).message;
      }
      retries.set(failure, (retries.get(failure) ?? 0) + 1);
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${CLIENT_PATIENCE_MS} ms (${failure})`);
      await pause(CLIENT_BACKOFF_MS);
    }
  }

  it('loses, doubles, strands and dead-letters nothing', async () => {
    await suite.start();
    const { tenantId: tenant, client: shop } = await createPlatform('Fault shop', {}, suite);
    const staff = await createStaffKey(['inventory', 'reviewer', 'ops'], suite);
    const operator = await createStaffKey(['warehouse'], suite);
    const subscription = await shop.expect(201, shop.post('/v1/webhooks', { url: suite.webhooks.address().url, events: ['*'] }));
    suite.webhooks.useSecret(subscription.secret);

    // Two warehouses; plenty of A, B more than the first warehouse holds (split notes), S short.
    const t = new Trading(shop, staff, operator, suite);
    const [north, south] = [await t.warehouse('FN', 1), await t.warehouse('FS', 2)];
    const [a, b, s] = [await t.sku('FA', 4), await t.sku('FB', 6), await t.sku('FSHORT', 5)];
    await t.receive(north, [{ sku: a, quantity: ORDERS * 3 }, { sku: b, quantity: ORDERS }, { sku: s, quantity: 4 }]);
    await t.receive(south, [{ sku: b, quantity: ORDERS * 3 }, { sku: s, quantity: 3 }]);

    const order = (i: number): { lines: OrderLine[]; options: PlaceOptions } => {
      const paid = i % 2 === 0;
      switch (i % 6) {
        case 0: // all of a short SKU or nothing: rejected once it runs out
          return { lines: [{ sku: s, quantity: 2, unitPrice: 5 }], options: { paid, shortagePolicy: { mode: 'reject' } } };
        case 1: // what is there now, the rest cancelled
          return { lines: [{ sku: s, quantity: 2, unitPrice: 5 }, { sku: a, quantity: 1, unitPrice: 4 }], options: { paid, shortagePolicy: { mode: 'partial', partialRemainder: 'cancel' } } };
        case 2: // waits for stock (released by cancelled orders), and is cancelled itself
          return {
            lines: [{ sku: s, quantity: 1, unitPrice: 5 }],
            options: { paid, shortagePolicy: { mode: 'backorder', backorderDeadline: new Date(Date.now() + 3_600_000).toISOString() } },
          };
        case 3: // more than the first warehouse holds, sooner or later: split over both
          return { lines: [{ sku: b, quantity: 3, unitPrice: 6 }], options: { paid } };
        default:
          return { lines: [{ sku: a, quantity: 1 + (i % 3), unitPrice: 4 }, { sku: b, quantity: 1, unitPrice: 6 }], options: { paid } };
      }
    };

    // The faults, one after another, each after a further share of the orders was accepted.
    const faults: Fault[] = [
      ...SERVICES.map(({ name }) => ({
        name: `SIGKILL ${name}`,
        inject: async () => {
          await suite.killAndRestart(name);
          return 'restarted';
        },
      })),
      { name: 'broker connections closed', inject: async () => `${await suite.closeBrokerConnections()} connection(s)` },
      { name: 'database connections terminated', inject: async () => `${await suite.terminateDatabaseConnections()} backend(s)` },
    ];
    // The connection cuts between the kills, the gateway neither first nor last.
    const schedule = [faults[1], faults[6], faults[2], faults[0], faults[7], faults[3], faults[5], faults[4]];
    const spacing = Math.floor(ORDERS / (schedule.length + 1));

    const accepted = new Map<string, string>(); // externalId → order id
    let acceptedByConflict = 0;
    let faultsDone = 0;
    const cancellations: Record<string, number> = {};

    const place = async (i: number): Promise<void> => {
      // Never more than one share ahead of the faults: they happen while orders are in flight.
      await waitFor(`fault ${Math.floor(i / spacing) - 1} before order ${i}`, () => faultsDone >= Math.min(schedule.length, Math.floor(i / spacing) - 1), CLIENT_PATIENCE_MS);
      const { lines, options } = order(i);
      const { externalId, body } = t.orderRequest(lines, options);
      const key = `place-${externalId}`;
      const reply = await persistently(`place ${externalId}`, () => shop.post('/v1/orders', body, key));
      let id: string;
      if (reply.status === 202) id = reply.body.id;
      else if (reply.status === 409 && reply.body?.code === 'ORDER_EXTERNAL_ID_EXISTS') {
        // Taken before a crash cut off the answer and the key's record: the platform has it.
        acceptedByConflict += 1;
        id = reply.body.orderId;
      } else throw new Error(`place ${externalId}: ${reply.status} ${JSON.stringify(reply.body)}`);
      accepted.set(externalId, id);
      if (i % 6 === 2 || i % 7 === 5) {
        // Some at once (nothing reserved yet, or a backorder waiting), some once their notes exist
        // (the notes are cancelled first, unless the operator ships them before).
        if (i % 7 === 5) {
          await waitFor(`order ${id} released`, async () => {
            const current = await persistently(`get ${id}`, () => shop.get(`/v1/orders/${id}`));
            return current.body.status !== 'received' && current.body.status !== 'approved' && current.body.status !== 'reserved' ? true : undefined;
          }, CLIENT_PATIENCE_MS);
        }
        const cancelled = await persistently(`cancel ${id}`, () => shop.post(`/v1/orders/${id}/cancel`, { reason: 'changed my mind' }, `cancel-${externalId}`));
        const outcome = cancelled.status === 202 ? 'accepted' : `${cancelled.status} ${cancelled.body?.code}`;
        if (![202, 409].includes(cancelled.status)) throw new Error(`cancel ${id}: ${cancelled.status} ${JSON.stringify(cancelled.body)}`);
        cancellations[outcome] = (cancellations[outcome] ?? 0) + 1;
      }
    };

    let next = 0;
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ORDERS) await place(next++);
      }),
    );

    const injecting = (async () => {
      for (const [j, fault] of schedule.entries()) {
        await waitFor(`${(j + 1) * spacing} orders accepted before ${fault.name}`, () => accepted.size >= (j + 1) * spacing, CLIENT_PATIENCE_MS);
        const at = Date.now();
        const what = await fault.inject();
        faultLog.push(`${fault.name} after ${accepted.size} orders: ${what}, ready again in ${Date.now() - at} ms`);
        faultsDone += 1;
      }
    })();

    const sagas = () =>
      queryService<{ external_id: string; id: string; status: string; state: string | null }>(
        'orders',
        'SELECT o.external_id, o.id, o.status, s.state FROM sales_order o LEFT JOIN saga s ON s.id = o.id WHERE o.tenant_id = $1',
        [tenant],
        suite,
      );
    const unsettled = async () => (await sagas()).filter((o) => !FINAL_STATUSES.includes(o.status) || !FINAL_SAGA_STATES.includes(o.state ?? ''));

    /** What the services know of an order that did not end: for the failure message. */
    const story = async (id: string): Promise<string> => {
      const steps = await queryService('orders', `SELECT at, kind, message_type, from_state, to_state, reason FROM saga_step WHERE saga_id = $1 ORDER BY at`, [id], suite);
      const lines = [`order ${id}:`, ...steps.map((r) => `  orders step ${r.at.toISOString()} ${r.kind} ${r.message_type ?? ''} ${r.from_state ?? ''}→${r.to_state ?? ''} ${r.reason ?? ''}`)];
      for (const service of ['orders', 'inventory', 'warehouse'] as const) {
        const outbox = await queryService(service, `SELECT routing_key, sent_at, attempts, last_error FROM outbox_message WHERE envelope->>'correlationId' = $1 ORDER BY seq`, [id], suite);
        lines.push(...outbox.map((m) => `  ${service} outbox ${m.routing_key} sent ${m.sent_at?.toISOString() ?? 'NOT SENT'} attempts ${m.attempts} ${m.last_error ?? ''}`));
        const inbox = await queryService(service, `SELECT routing_key, processed_at FROM inbox_message WHERE correlation_id = $1 ORDER BY processed_at`, [id], suite);
        lines.push(...inbox.map((m) => `  ${service} inbox ${m.routing_key} ${m.processed_at.toISOString()}`));
      }
      const notes = await queryService('warehouse', 'SELECT id, warehouse, status, batch FROM outbound_note WHERE order_id = $1', [id], suite);
      lines.push(...notes.map((n) => `  warehouse note ${n.id} ${n.warehouse} batch ${n.batch} ${n.status}`));
      const reservations = await queryService('inventory', 'SELECT warehouse, sku, quantity, status FROM reservation WHERE order_id = $1', [id], suite);
      lines.push(...reservations.map((r) => `  inventory reservation ${r.warehouse} ${r.sku} ${r.quantity} ${r.status}`));
      return lines.join('\n');
    };

    // The warehouse operator works every open note of the two warehouses, and confirms deliveries.
    let loadDone = false;
    const heldElsewhere = (reply: Reply) => reply.status === 409 && reply.body?.code === 'IDEMPOTENCY_KEY_IN_USE';
    /** Works one step of a note; false when its key is still held (nothing done this round). */
    const step = async (note: { id: string; status: string; shipment: { id: string; deliveredAt: string | null } | null }, action: string) => {
      const path = `/v1/outbound-notes/${note.id}/${action}`;
      const body = action === 'ship' ? { carrier: 'bpost', trackingNumber: `TRK-${note.id.slice(0, 8)}` } : undefined;
      // A refusal (cancelled by the saga meanwhile, or moved on by an earlier try cut off with its
      // gateway) is no failure: the next round sees where the note is. Nor is a key still held by a
      // killed gateway: the other notes are worked meanwhile, this one in a later round.
      return !heldElsewhere(await persistently(`${action} ${note.id}`, () => operator.post(path, body, `${action}-${note.id}`), { inUseLater: true }));
    };
    const deliver = async (shipmentId: string) => {
      return !heldElsewhere(await persistently(`deliver ${shipmentId}`, () => operator.post(`/v1/shipments/${shipmentId}/delivered`, {}, `delivered-${shipmentId}`), { inUseLater: true }));
    };
    /** Answers the operator should never get (a list refused): listed, and the round goes on. */
    const unexpectedAnswers: string[] = [];
    let operatorFailure: Error | undefined;
    const notesIn = async (warehouse: string, status: string): Promise<Array<Parameters<typeof step>[0]>> => {
      const reply = await persistently(`list ${status} notes`, () => operator.get(`/v1/outbound-notes?warehouse=${warehouse}&status=${status}&limit=200`));
      if (reply.status === 200) return reply.body.items;
      unexpectedAnswers.push(`list ${status} notes of ${warehouse}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return [];
    };
    const operating = (async () => {
      let idle = false;
      while (!stopped && !(loadDone && idle)) {
        let worked = 0;
        for (const warehouse of [north, south]) {
          for (const [status, action] of OPEN_NOTE_STEPS) {
            for (const note of await notesIn(warehouse, status)) {
              if (await step(note, action)) worked += 1;
            }
          }
          for (const note of await notesIn(warehouse, 'shipped')) {
            if (note.shipment && !note.shipment.deliveredAt && (await deliver(note.shipment.id))) worked += 1;
          }
        }
        // The check's own database connection may be one the fault terminates: then not idle yet.
        idle = worked === 0 && (await unsettled().catch(() => [undefined])).length === 0;
        if (worked === 0) await pause(200);
      }
    })().catch((error: Error) => {
      operatorFailure = error;
    });

    try {
      await Promise.all([load, injecting]);
    } catch (error) {
      stopped = true;
      throw error;
    } finally {
      loadDone = true;
    }
    // Every accepted order reaches a final state (the operator keeps working meanwhile).
    try {
      await waitFor('every order in a final state', async () => ((await unsettled()).length === 0 ? true : undefined), 150_000);
    } catch (error) {
      stopped = true;
      const stuck = await unsettled();
      const stories = await Promise.all(stuck.slice(0, 3).map((o) => story(o.id)));
      throw new Error(
        `${(error as Error).message}; not final: ${JSON.stringify(stuck)}\noperator: ${operatorFailure?.message ?? 'working'}; unexpected answers: ${unexpectedAnswers.join('; ')}\n${stories.join('\n')}\n${suite.errorLines.join('\n')}`,
      );
    }
    await operating;
    expect(operatorFailure).toBeUndefined();
    expect(unexpectedAnswers).toEqual([]);

    // None lost, none doubled: the orders Skald holds for the platform are exactly the accepted ones.
    const held = await sagas();
    expect(accepted.size).toBe(ORDERS);
    expect(held.map((o) => `${o.external_id} ${o.id}`).sort()).toEqual([...accepted].map(([externalId, id]) => `${externalId} ${id}`).sort());

    // Stock equals its ledger, and nothing is reserved or waiting for stock any more.
    for (const sku of [a, b, s]) {
      await t.expectStockMatchesLedger(sku);
      expect((await t.stock(sku)).map((level) => `${level.warehouse} ${level.reserved}`)).toEqual((await t.stock(sku)).map((level) => `${level.warehouse} 0`));
    }
    const ids = [...accepted.values()];
    const holding = await queryService(
      'inventory',
      `SELECT order_id, 'reservation' AS what, status FROM reservation WHERE status = 'active' AND order_id = ANY($1)
       UNION ALL SELECT order_id, 'backorder', status FROM backorder_line WHERE status = 'waiting' AND order_id = ANY($1)`,
      [ids],
      suite,
    );
    expect(holding).toEqual([]);

    // A cancelled order shipped nothing; a delivered one left nothing open.
    const notes = await queryService<{ order_id: string; status: string; delivered: boolean | null }>(
      'warehouse',
      'SELECT n.order_id, n.status, s.delivered_at IS NOT NULL AS delivered FROM outbound_note n LEFT JOIN shipment s ON s.note_id = n.id WHERE n.order_id = ANY($1)',
      [ids],
      suite,
    );
    const finalStatus = new Map(held.map((o) => [o.id, o.status]));
    expect(notes.filter((n) => finalStatus.get(n.order_id) === 'cancelled' && n.status === 'shipped')).toEqual([]);
    expect(notes.filter((n) => !['shipped', 'cancelled'].includes(n.status) || (n.status === 'shipped' && !n.delivered))).toEqual([]);

    // Every status change reaches the platform once: one webhook id per status the order passed
    // through (retries of one delivery keep its id), one per refund instruction.
    const history = new Map<string, string[]>();
    for (const id of ids) history.set(id, t.history(await t.order(id)));
    type Event = { type: string; data: { orderId: string; status?: string } };
    const idsPerEvent = () => {
      const seen = new Map<string, Set<string>>();
      for (const delivery of suite.webhooks.deliveries) {
        const event = delivery.payload as Event;
        const key = `${event.data.orderId} ${event.type}${event.type === 'order.refund_requested' ? ` ${JSON.stringify(event.data)}` : ''}`;
        seen.set(key, (seen.get(key) ?? new Set()).add(delivery.id));
      }
      return seen;
    };
    const expected = new Map<string, number>();
    for (const [id, statuses] of history) for (const status of statuses) expected.set(`${id} order.${status}`, (expected.get(`${id} order.${status}`) ?? 0) + 1);
    const missing = () => [...expected].filter(([key, n]) => (idsPerEvent().get(key)?.size ?? 0) < n).map(([key]) => key);
    try {
      await waitFor('a webhook for every status change', () => missing().length === 0, 60_000);
    } catch (error) {
      const rows = await queryService(
        'notifications',
        `SELECT order_id, topic, status, attempts, last_error, created_at, sent_at FROM delivery WHERE channel = 'webhook' AND order_id = ANY($1)`,
        [missing().map((key) => key.split(' ')[0])],
        suite,
      );
      throw new Error(`${(error as Error).message}: ${missing().join('; ')}\nwebhook deliveries of those orders: ${JSON.stringify(rows)}\n${suite.errorLines.join('\n')}`);
    }
    const twice = [...idsPerEvent()].filter(([key, webhookIds]) => webhookIds.size > (key.includes(' order.refund_requested ') ? 1 : (expected.get(key) ?? 0)));
    expect(twice.map(([key, webhookIds]) => `${key}: ${[...webhookIds].join(', ')}`)).toEqual([]);
    expect(suite.webhooks.rejected).toEqual([]);

    // Nothing dead-lettered, nothing unrouted.
    const parked = await suite.parkedMessages();
    expect(Object.keys(parked).filter((queue) => queue.endsWith('.dlq')).length).toBeGreaterThanOrEqual(5);
    expect(Object.entries(parked).filter(([, count]) => count > 0)).toEqual([]);

    process.stdout.write(
      [
        '',
        `Faults under load: ${faultLog.length} fault(s) survived, ${ORDERS} orders in ${Math.round((Date.now() - started) / 1000)} s`,
        ...faultLog.map((line) => `  ${line}`),
        `  orders accepted: ${accepted.size} (${acceptedByConflict} as ORDER_EXTERNAL_ID_EXISTS after a cut-off answer)`,
        `  final states: ${JSON.stringify(countBy(held.map((o) => o.status)))}`,
        `  cancellations: ${JSON.stringify(cancellations)}`,
        `  client retries: ${[...retries.values()].reduce((sum, n) => sum + n, 0)} ${JSON.stringify(Object.fromEntries(retries))}`,
        ...internalErrors.map((line) => `    500 on ${line}`),
        `  error log lines: ${suite.errorLines.length}`,
        ...suite.errorLines.slice(0, 20).map((line) => `    ${line}`),
        `  outbound notes: ${JSON.stringify(countBy(notes.map((n) => n.status)))}`,
        `  webhooks: ${suite.webhooks.deliveries.length} delivered (${new Set(suite.webhooks.deliveries.map((d) => d.id)).size} distinct ids), ${suite.webhooks.requests.length} requests`,
        `  dead letters and unrouted: ${JSON.stringify(parked)}`,
        '',
      ].join('\n'),
    );
  }, 600_000);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
