import fc from 'fast-check';
import { waitFor } from '@skald/testing';
import { createPlatform, createStaffKey, type Reply } from '../../support/gateway-client.js';
import { queryService, Trading } from '../../support/trading.js';

type Policy = { mode: 'reject' } | { mode: 'backorder'; deadlineMs: number } | { mode: 'partial'; rest: 'backorder' | 'cancel'; deadlineMs: number };

type Action =
  | { kind: 'place'; sku: number; quantity: number; policy: Policy; paid: boolean }
  | { kind: 'cancel'; order: number }
  | { kind: 'modify'; order: number; quantity: number }
  | { kind: 'receive'; sku: number; warehouse: number; quantity: number }
  | { kind: 'work'; order: number; upTo: 'confirm' | 'pick' | 'pack' | 'ship' };

const policy: fc.Arbitrary<Policy> = fc.oneof(
  fc.constant({ mode: 'reject' as const }),
  fc.record({ mode: fc.constant('backorder' as const), deadlineMs: fc.integer({ min: 1_500, max: 6_000 }) }),
  fc.record({ mode: fc.constant('partial' as const), rest: fc.constantFrom('backorder' as const, 'cancel' as const), deadlineMs: fc.integer({ min: 1_500, max: 6_000 }) }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('place' as const), sku: fc.nat(1), quantity: fc.integer({ min: 1, max: 4 }), policy, paid: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('modify' as const), order: fc.nat(20), quantity: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('receive' as const), sku: fc.nat(1), warehouse: fc.nat(1), quantity: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('work' as const), order: fc.nat(20), upTo: fc.constantFrom('confirm' as const, 'pick' as const, 'pack' as const, 'ship' as const) }) },
);

/** Answers a random interleaving may get: anything else (a 5xx, a 400 for a valid request) fails the property. */
/** Interleavings per run (PROPERTY_RUNS, at least 25) and the time they may take together. */
const RUNS = Math.max(25, Number(process.env.PROPERTY_RUNS ?? 25));
const TIME_LIMIT_MS = Number(process.env.PROPERTY_TIME_LIMIT_MS ?? 15 * 60_000);

const ACCEPTABLE = new Set([200, 201, 202, 409]);
const TRANSIENT = ['reviewing', 'reserving', 'releasing', 'cancelling'];
const TERMINAL = ['completed', 'cancelled', 'rejected'];

/**
 * Random interleavings of place, cancel, modify, receive stock, pick, pack, ship and deadline
 * expiry over many concurrent orders (actions run a few at a time, concurrently), through the
 * gateway; then, once every saga has settled, the invariants that make the sagas worth having.
 */
describe('saga invariants under random interleavings (fast-check; six services, real PostgreSQL and RabbitMQ)', () => {
  let staff: Awaited<ReturnType<typeof createStaffKey>>;
  let operator: Awaited<ReturnType<typeof createStaffKey>>;
  let shop: Awaited<ReturnType<typeof createPlatform>>['client'];

  beforeAll(async () => {
    staff = await createStaffKey(['inventory', 'reviewer', 'ops']);
    operator = await createStaffKey(['warehouse']);
    shop = (await createPlatform('Property shop')).client;
  });

  it('keeps stock, reservations, ledger, sagas and compensations consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 12, maxLength: 28 }), fc.integer({ min: 2, max: 4 }), async (actions, concurrency) => {
        const t = new Trading(shop, staff, operator);
        const skus = [await t.sku('PA', 3), await t.sku('PB', 5)];
        const warehouses = [await t.warehouse('PW1', 1), await t.warehouse('PW2', 2)];
        await t.receive(warehouses[0], [{ sku: skus[0], quantity: 3 }, { sku: skus[1], quantity: 2 }]);
        const orders: string[] = [];
        const unexpected: string[] = [];
        const check = (what: string, reply: Reply) => {
          if (!ACCEPTABLE.has(reply.status)) unexpected.push(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
        };

        const run = async (a: Action): Promise<void> => {
          switch (a.kind) {
            case 'place': {
              const deadline = a.policy.mode === 'reject' ? undefined : new Date(Date.now() + a.policy.deadlineMs).toISOString();
              const shortagePolicy =
                a.policy.mode === 'partial' ? { mode: 'partial', partialRemainder: a.policy.rest, backorderDeadline: deadline } : { mode: a.policy.mode, backorderDeadline: deadline };
              const { id } = await t.place([{ sku: skus[a.sku], quantity: a.quantity, unitPrice: a.sku === 0 ? 3 : 5 }], { paid: a.paid, shortagePolicy });
              orders.push(id);
              return;
            }
            case 'cancel': {
              if (orders.length === 0) return;
              check('cancel', await t.cancel(orders[a.order % orders.length], 'property'));
              return;
            }
            case 'modify': {
              if (orders.length === 0) return;
              const id = orders[a.order % orders.length];
              const current = await t.order(id);
              const line = current.lines[0];
              check('modify', await t.shop.call('PATCH', `/v1/orders/${id}`, { lines: [{ sku: line.sku, quantity: a.quantity, unitPrice: Number(line.unitPrice) }] }, { 'idempotency-key': `${id}-${Math.random()}` }));
              return;
            }
            case 'receive':
              await t.receive(warehouses[a.warehouse], [{ sku: skus[a.sku], quantity: a.quantity }]);
              return;
            case 'work': {
              if (orders.length === 0) return;
              const steps = ['confirm', 'pick', 'pack', 'ship'] as const;
              for (const note of await t.notes(orders[a.order % orders.length])) {
                for (const step of steps.slice(0, steps.indexOf(a.upTo) + 1)) {
                  const reply = step === 'ship'
                    ? await operator.post(`/v1/outbound-notes/${note.id}/ship`, { carrier: 'bpost', trackingNumber: `P-${note.id.slice(0, 6)}` })
                    : await operator.post(`/v1/outbound-notes/${note.id}/${step}`);
                  check(step, reply);
                }
              }
              return;
            }
          }
        };

        for (let i = 0; i < actions.length; i += concurrency) await Promise.all(actions.slice(i, i + concurrency).map(run));
        expect(unexpected).toEqual([]);

        // Settled: no saga between a command and its answer, every backorder deadline of this run passed and acted on.
        const lastDeadline = Date.now() + 6_000;
        const sagas = await waitFor('sagas settled', async () => {
          const rows = await queryService<{ order_id: string; state: string; deadline_at: Date | null; data: any }>('orders', `SELECT id AS order_id, state, deadline_at, data FROM saga WHERE id = ANY($1)`, [orders]);
          const unsettled = rows.filter((s) => TRANSIENT.includes(s.state) || s.state === 'backordered' || (!TERMINAL.includes(s.state) && (s.data.backorderOpen || s.data.restRelease)));
          if (unsettled.length > 0) throw new Error(`unsettled: ${unsettled.map((s) => `${s.order_id} ${s.state} ${JSON.stringify(s.data)}`).join('; ')}`);
          return rows.length === orders.length && Date.now() > lastDeadline ? rows : undefined;
        }, 60_000);

        // Every saga is terminal, or waiting with a deadline in the future.
        for (const saga of sagas) {
          if (TERMINAL.includes(saga.state)) expect({ id: saga.order_id, deadline: saga.deadline_at }).toEqual({ id: saga.order_id, deadline: null });
          else expect({ id: saga.order_id, future: saga.deadline_at !== null && saga.deadline_at.getTime() > Date.now() }).toEqual({ id: saga.order_id, future: true });
        }

        // No order both shipped and cancelled.
        for (const id of orders) {
          const order = await t.order(id);
          const statuses = t.history(order);
          const shipped = statuses.includes('shipped') || statuses.includes('partially_shipped') || order.shipments.length > 0;
          expect({ id, shippedAndCancelled: shipped && statuses.includes('cancelled') }).toEqual({ id, shippedAndCancelled: false });
        }

        // Stock: available ≥ 0, on hand and reserved equal their ledger, reserved equals the active reservations.
        await waitFor('inventory caught up', async () => {
          const reserved = await queryService<{ sku: string; warehouse: string; active: string; level: number }>(
            'inventory',
            `SELECT l.sku, l.warehouse, l.reserved AS level, coalesce((SELECT sum(quantity) FROM reservation r WHERE r.sku = l.sku AND r.warehouse = l.warehouse AND r.status = 'active'), 0)::text AS active
               FROM stock_level l WHERE l.sku = ANY($1)`,
            [skus],
          );
          return reserved.every((r) => Number(r.active) === r.level) ? true : undefined;
        });
        for (const sku of skus) {
          for (const level of await t.stock(sku)) expect({ sku, ...level, ok: level.available >= 0 && level.reserved >= 0 }).toMatchObject({ ok: true });
          await t.expectStockMatchesLedger(sku);
        }
        // Every reservation ends once: consumed or released, and each release is in the ledger once.
        const released = await queryService<{ order_id: string; sku: string; warehouse: string; reservations: string; ledger: string }>(
          'inventory',
          `SELECT r.order_id, r.sku, r.warehouse, sum(r.quantity)::text AS reservations,
                  coalesce((SELECT -sum(m.reserved_delta) FROM stock_movement m WHERE m.kind = 'release' AND m.order_id = r.order_id AND m.sku = r.sku AND m.warehouse = r.warehouse), 0)::text AS ledger
             FROM reservation r WHERE r.status = 'released' AND r.sku = ANY($1) GROUP BY r.order_id, r.sku, r.warehouse`,
          [skus],
        );
        for (const row of released) expect(row.ledger).toBe(row.reservations);

        // Each compensation happened once per saga.
        const compensations = await queryService<{ saga_id: string; what: string; n: number }>(
          'orders',
          `SELECT saga_id, split_part(reason, ':', 1) AS what, count(*)::int AS n FROM saga_step
            WHERE saga_id = ANY($1) AND kind = 'compensation' AND (reason LIKE 'notes cancelled:%' OR reason LIKE 'stock released:%')
            GROUP BY saga_id, split_part(reason, ':', 1)`,
          [orders],
        );
        for (const c of compensations) expect(c).toMatchObject({ n: 1 });
        // A cancelled or rejected order holds nothing: no active reservation, nothing waiting for stock.
        const closed = sagas.filter((s) => s.state === 'cancelled' || s.state === 'rejected').map((s) => s.order_id);
        const held = await queryService<{ order_id: string; what: string }>(
          'inventory',
          `SELECT order_id, 'reservation' AS what FROM reservation WHERE status = 'active' AND order_id = ANY($1)
           UNION ALL SELECT order_id, 'backorder' FROM backorder_line WHERE status = 'waiting' AND order_id = ANY($1)`,
          [closed],
        );
        expect(held).toEqual([]);
        const notes = await queryService<{ order_id: string; cancelled: number; shipped: number }>(
          'warehouse',
          `SELECT order_id, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled, count(*) FILTER (WHERE status = 'shipped')::int AS shipped FROM outbound_note WHERE order_id = ANY($1) GROUP BY order_id`,
          [orders],
        );
        for (const n of notes) {
          const order = await t.order(n.order_id);
          if (order.status === 'cancelled') expect({ id: n.order_id, shipped: n.shipped }).toEqual({ id: n.order_id, shipped: 0 });
        }
      }),
      // At least 25 interleavings in every run; one cut short by the time limit is a failure, not a pass.
      { numRuns: RUNS, seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined, endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: true },
    );
  }, TIME_LIMIT_MS + 60_000);
});
