/**
 * Graceful shutdown, as Kubernetes does it (issue #12, "Checks in CI"): a service gets SIGTERM
 * while it works through a stream of messages. It turns readiness off, stops taking messages,
 * finishes (or returns) the ones in flight, relays the outbox they wrote, and exits 0 within the
 * grace period of its manifest; a replacement takes the rest, and no message is lost or has its
 * effect twice. Each test runs a service of its own (own vhost, own database).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BookReturnedStockV1, ReturnedStockBookedV1, type BookReturnedStock, type MessageEnvelope } from '@skald/contracts';
import { deadLetterQueueName, mainQueueName } from '@skald/messaging';
import { BrokerProbe, waitFor } from '@skald/testing';
import amqplib, { type Channel, type ChannelModel } from 'amqplib';
import pg from 'pg';
import { root } from '../../../scripts/lib/suite.mjs';
import { logMessages, ownService, type OwnService, type ServiceProcess } from '../../support/own-service.js';

/**
 * The shutdown budget the Kubernetes manifests give inventory: the preStop sleep, then SIGTERM,
 * then SHUTDOWN_TIMEOUT_MS for in-flight work, all inside terminationGracePeriodSeconds. The test
 * runs the service with the same SHUTDOWN_TIMEOUT_MS and holds it to the same grace period.
 */
function manifestShutdownBudget(service: string): { preStopMs: number; shutdownTimeoutMs: number; gracePeriodMs: number } {
  const manifest = readFileSync(path.join(root, 'deploy/k8s/base', service, 'deployment.yaml'), 'utf8');
  const number = (pattern: RegExp, what: string): number => {
    const found = pattern.exec(manifest)?.[1];
    if (found === undefined) throw new Error(`deploy/k8s/base/${service}/deployment.yaml: no ${what}`);
    return Number(found);
  };
  return {
    preStopMs: number(/preStop:\s*exec:\s*command: \["sleep", "(\d+)"\]/, 'preStop sleep') * 1000,
    shutdownTimeoutMs: number(/name: SHUTDOWN_TIMEOUT_MS\s*value: "(\d+)"/, 'SHUTDOWN_TIMEOUT_MS'),
    gracePeriodMs: number(/terminationGracePeriodSeconds: (\d+)/, 'terminationGracePeriodSeconds') * 1000,
  };
}

/** Waits until /health/ready answers 503 and returns its body. */
async function readinessOff(service: ServiceProcess): Promise<Record<string, unknown>> {
  return waitFor('readiness off', async () => {
    const res = await fetch(`${service.url}/health/ready`);
    return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
  });
}

/** Sessions of the service waiting for a lock the test holds: the handlers it keeps in flight. */
async function handlersWaitingOnLocks(db: pg.Client): Promise<number> {
  // Inside a transaction (the one holding the lock) pg_stat_activity is read once and kept: read it anew.
  await db.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await db.query(
    `SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
  );
  return rows[0].waiting as number;
}

const STREAM = 400;
const PREFETCH = 6;
const BOOK = BookReturnedStockV1.routingKey;

/** An inventory of the test's own, its first process running, and the test's clients of its database and vhost. */
interface Rig {
  inventory: OwnService;
  first: ServiceProcess;
  /** Reads the service's database. */
  db: pg.Client;
  /** Holds locks, to keep handlers in flight. */
  locker: pg.Client;
  probe: BrokerProbe;
  channel: Channel;
  /** The service's queue: ready messages and consumers. */
  queue(): Promise<{ messageCount: number; consumerCount: number }>;
  /** Book commands handled (committed with their inbox record). */
  handled(): Promise<number>;
  remove(): Promise<void>;
}

async function inventoryRig(shutdownTimeoutMs: number): Promise<Rig> {
  // Several messages in flight at once; the pool has room for them and for HTTP (readiness).
  const inventory = await ownService('inventory', {
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    MESSAGING_PREFETCH: String(PREFETCH),
    DATABASE_POOL_SIZE: String(PREFETCH + 4),
  });
  const db = new pg.Client({ connectionString: inventory.env.DATABASE_URL });
  const locker = new pg.Client({ connectionString: inventory.env.DATABASE_URL });
  const probe = new BrokerProbe(inventory.vhost.url);
  let broker: ChannelModel | undefined;
  const remove = async () => {
    await locker.end().catch(() => undefined);
    await db.end().catch(() => undefined);
    await probe.stop();
    await broker?.close().catch(() => undefined);
    await inventory.remove();
  };
  try {
    const first = await inventory.start();
    await first.ready; // its database exists from here on
    await db.connect();
    await locker.connect();
    await probe.start([ReturnedStockBookedV1]);
    await probe.consumerOf('inventory');
    broker = await amqplib.connect(inventory.vhost.url);
    const channel = await broker.createChannel();
    return {
      inventory,
      first,
      db,
      locker,
      probe,
      channel,
      queue: () => channel.checkQueue(mainQueueName('inventory')),
      handled: async () => (await db.query(`SELECT count(*)::int AS n FROM inbox_message WHERE routing_key = $1`, [BOOK])).rows[0].n as number,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** A warehouse and three SKUs in inventory, through its HTTP API as the gateway would call it. */
async function stockroom(service: ServiceProcess): Promise<{ warehouse: string; skus: string[] }> {
  const run = randomUUID().slice(0, 8);
  const headers = {
    'content-type': 'application/json',
    'x-skald-internal-token': service.internalToken,
    'x-skald-caller': 'staff',
    'x-skald-principal': 'graceful-shutdown-test',
    'x-skald-roles': 'inventory',
  };
  const put = async (route: string, body: object) => {
    const res = await fetch(`${service.url}${route}`, { method: 'PUT', headers, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`PUT ${route}: ${res.status} ${await res.text()}`);
  };
  const warehouse = `WH-DRAIN-${run}`;
  await put(`/v1/warehouses/${warehouse}`, { priority: 1, name: 'Drain' });
  const skus = ['A', 'B', 'C'].map((letter) => `DRAIN-${letter}-${run}`);
  for (const sku of skus) await put(`/v1/catalog/${sku}`, { name: sku, listPrice: '1.00', currency: 'EUR', sellable: true, returnable: true });
  return { warehouse, skus };
}

/** A command booking one unit of `sku` back into stock: one booking, one ledger line, one ReturnedStockBooked. */
function bookOne(probe: BrokerProbe, warehouse: string, sku: string, n: number) {
  return probe.publish(BookReturnedStockV1, {
    returnId: randomUUID(),
    rmaNumber: `RMA-DRAIN-${n}`,
    orderId: `drain-order-${n}`,
    warehouse,
    lines: [{ sku, grade: 'A', quantity: 1 }],
  });
}

/** Holds every stock level: a booking in flight waits inside its transaction (inbox record written, not committed, not acked). */
async function holdStockLevels(rig: Rig): Promise<void> {
  await rig.locker.query('BEGIN');
  await rig.locker.query('SELECT 1 FROM stock_level FOR UPDATE');
}

describe('graceful shutdown under a stream of messages', () => {
  const budget = manifestShutdownBudget('inventory');
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.remove();
    rig = undefined;
  });

  it('SIGTERM mid-stream: readiness off, consumer cancelled, in-flight finished and relayed, exit 0 in the grace period; a replacement handles the rest, each message once', async () => {
    rig = await inventoryRig(budget.shutdownTimeoutMs);
    const { first, db, probe, inventory } = rig;
    const { warehouse, skus } = await stockroom(first);

    // The stream, published at once: each command has an effect counted in the database.
    const commands = Array.from({ length: STREAM }, (_, i) => bookOne(probe, warehouse, skus[i % skus.length], i));
    await probe.confirmed();

    await waitFor('a part of the stream handled', async () => (await rig!.handled()) >= STREAM / 10, 60_000);
    await holdStockLevels(rig);
    await waitFor('handlers in flight, waiting on the stock levels', async () => (await handlersWaitingOnLocks(db)) > 0);
    // No booking commits while the levels are held: this is what was done before SIGTERM.
    const handledBefore = await rig.handled();
    expect(handledBefore).toBeLessThan(STREAM);

    let exited = false;
    void first.exited.then(() => (exited = true));
    const sigterm = Date.now();
    first.child.kill('SIGTERM');

    expect(await readinessOff(first)).toMatchObject({ status: 503, code: 'UNAVAILABLE', checks: { lifecycle: { status: 'down' } } });
    // It stops taking messages: the broker confirmed the cancel of its subscription (a quorum
    // queue still counts a cancelled consumer until its deliveries are settled, so the queue's
    // consumer count cannot tell yet), and the stream's rest waits in the queue.
    const inFlight = await waitFor('the consumer cancelled', () => {
      const cancelled = logMessages(first)
        .map((msg) => /^skald\.inventory: taking no more messages, (\d+) in flight to finish$/.exec(msg))
        .find(Boolean);
      return cancelled ? Number(cancelled[1]) : undefined;
    });
    expect(inFlight).toBeGreaterThan(0);
    expect(inFlight).toBeLessThanOrEqual(PREFETCH);
    expect((await rig.queue()).messageCount).toBeGreaterThan(0);
    expect(exited).toBe(false); // still draining: the handlers in flight wait on the levels

    await rig.locker.query('COMMIT');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const shutdownMs = Date.now() - sigterm;
    // Within its own timeout (no handler cut off), hence within the pod's grace period after preStop.
    expect(shutdownMs).toBeLessThan(budget.shutdownTimeoutMs);
    expect(budget.preStopMs + shutdownMs).toBeLessThan(budget.gracePeriodMs);
    const logs = logMessages(first);
    expect(logs).toEqual(expect.arrayContaining(['SIGTERM received: draining in-flight work', 'stopped cleanly']));
    expect(logs.filter((msg) => /still in flight|did not finish|shutdown failed/.test(msg))).toEqual([]);

    // The messages in flight when it stopped taking more were finished, and nothing else.
    const handledByFirst = await rig.handled();
    expect(handledByFirst - handledBefore).toBe(inFlight);
    // Nothing lost: whatever it did not handle is back in the queue, ready for the replacement
    // (and no handled message is: every ack went out before its channel closed).
    expect(await rig.queue()).toMatchObject({ messageCount: STREAM - handledByFirst, consumerCount: 0 });
    // The outbox its handlers wrote was relayed before it closed its connections.
    const { rows: outbox } = await db.query(
      `SELECT count(*)::int AS written, count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent FROM outbox_message WHERE routing_key = $1`,
      [ReturnedStockBookedV1.routingKey],
    );
    expect(outbox[0]).toEqual({ written: handledByFirst, unsent: 0 });

    const replacement = await inventory.start();
    await replacement.ready;
    await waitFor('the replacement to handle the rest', async () => (await rig!.handled()) === STREAM, 60_000);

    await expectEachBookedOnce(rig, warehouse, commands);
    replacement.child.kill('SIGTERM');
    expect(await replacement.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('a message whose handler outlasts SHUTDOWN_TIMEOUT_MS goes back to the queue, and its effect counts once', async () => {
    const shutdownTimeoutMs = 2_000;
    rig = await inventoryRig(shutdownTimeoutMs);
    const { first, db, probe, inventory } = rig;
    const { warehouse, skus } = await stockroom(first);
    const opening = bookOne(probe, warehouse, skus[0], 0); // opens the stock level the test then holds
    await waitFor('the opening booking handled', async () => (await rig!.handled()) === 1);

    await holdStockLevels(rig);
    const stuck = bookOne(probe, warehouse, skus[0], 1);
    await waitFor('its handler in flight, waiting on the stock level', async () => (await handlersWaitingOnLocks(db)) > 0);
    const sigterm = Date.now();
    first.child.kill('SIGTERM');
    await readinessOff(first);

    // It gives up on the handler after its timeout and still shuts down in order, before its own
    // last-resort exit (SHUTDOWN_TIMEOUT_MS + 5 s).
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - sigterm).toBeLessThan(shutdownTimeoutMs + 5_000);
    expect(logMessages(first)).toEqual(
      expect.arrayContaining([`1 message(s) still in flight after ${shutdownTimeoutMs} ms: given back to ${mainQueueName('inventory')}`, 'stopped cleanly']),
    );
    // Returned, not lost: the command waits in the queue, its effect was not committed.
    expect(await rig.queue()).toMatchObject({ messageCount: 1, consumerCount: 0 });
    expect(await rig.handled()).toBe(1);

    await rig.locker.query('COMMIT');
    const replacement = await inventory.start();
    await replacement.ready;
    await waitFor('the replacement to handle it', async () => (await rig!.handled()) === 2);
    await expectEachBookedOnce(rig, warehouse, [opening, stuck]);
    replacement.child.kill('SIGTERM');
    expect(await replacement.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});

/**
 * Every command had its effect exactly once: one booking, one ledger line and one unit of stock per
 * return, one inbox record per message, each booking announced; nothing dead-lettered or left over.
 */
async function expectEachBookedOnce(rig: Rig, warehouse: string, commands: Array<MessageEnvelope<BookReturnedStock>>): Promise<void> {
  const { db, probe, channel } = rig;
  const returnIds = commands.map((command) => command.payload.returnId).sort();
  const { rows: bookings } = await db.query(`SELECT return_id FROM returned_stock_booking WHERE outcome = 'booked' ORDER BY return_id`);
  expect(bookings.map((row) => row.return_id)).toEqual(returnIds);
  const { rows: ledger } = await db.query(`SELECT reference FROM stock_movement WHERE kind = 'return_restocked' ORDER BY reference`);
  expect(ledger.map((row) => row.reference)).toEqual(returnIds);
  const { rows: levels } = await db.query(`SELECT sum(on_hand)::int AS on_hand FROM stock_level WHERE warehouse = $1`, [warehouse]);
  expect(levels[0].on_hand).toBe(commands.length);
  const { rows: inbox } = await db.query(`SELECT message_id FROM inbox_message WHERE routing_key = $1 ORDER BY message_id`, [BOOK]);
  expect(inbox.map((row) => row.message_id)).toEqual(commands.map((command) => command.id).sort());
  // Announced at least once each (the relay may send one again after a crash; not here, but the
  // contract is at least once): counted by return.
  await waitFor('every booking announced', () => new Set(probe.messages(ReturnedStockBookedV1).map((m) => m.payload.returnId)).size === commands.length);
  expect((await db.query(`SELECT count(*)::int AS n FROM dead_letter`)).rows[0].n).toBe(0);
  expect((await channel.checkQueue(deadLetterQueueName('inventory'))).messageCount).toBe(0);
  expect((await rig.queue()).messageCount).toBe(0);
}
