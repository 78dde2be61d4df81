import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '@skald/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ForcedFailure } from '../../support/forced-failure.js';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { suite } from '../../support/suite-state.mjs';
import { Trading } from '../../support/trading.js';

/** Screenshots of each step, kept as the run's artifacts (not committed). */
const ARTIFACTS = path.resolve(__dirname, '../../artifacts/ops-console');
const CHROMIUM = process.env.SKALD_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The ops console in headless Chromium: an order's cancellation whose compensation (cancelling
 * the warehouse's notes) fails until a flag flips ends in the warehouse's dead-letter queue; the
 * engineer signs in with an ops key, finds the order, sees the saga drawn as swimlanes with the
 * dead letter in red and the pending compensation, replays the dead letter from the page, and
 * watches the saga complete. The fault is the test's own (ForcedFailure): a trigger on the
 * warehouse's outbound_note table refuses to cancel this order's notes until the flag is lowered.
 */
describe('ops console in a browser: a compensation dead-lettered, replayed from the page, the saga completes (six services, real PostgreSQL and RabbitMQ)', () => {
  let t: Trading;
  let ops: GatewayClient;
  let fault: ForcedFailure;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const staff = await createStaffKey(['inventory', 'ops']);
    ops = await createStaffKey(['ops']);
    t = new Trading((await createPlatform('Console shop')).client, staff, await createStaffKey(['warehouse']));
    fault = await ForcedFailure.install(suite().databases.warehouse, {
      table: 'outbound_note',
      on: 'BEFORE UPDATE',
      when: "NEW.status = 'cancelled'",
      message: 'e2e fault: notes of % cannot be cancelled while the flag is up',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await fault?.remove();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('shows the saga with its compensation and dead letter, replays it from the page, and shows it complete', async () => {
    const sku = await t.sku('CONSOLE', 12);
    const warehouse = await t.warehouse('WH-CONSOLE', 1);
    await t.receive(warehouse, [{ sku, quantity: 5 }]);
    const order = await t.place([{ sku, quantity: 2, unitPrice: 12 }]);
    await t.notesOf(order.id, 1);
    await fault.raise(order.externalId);
    await t.shop.expect(202, t.cancel(order.id, 'customer changed their mind'));
    const dead = await waitFor('the failed note cancellation dead-lettered', async () => {
      const listed = await ops.expect(200, ops.get(`/v1/dead-letters?saga=${order.id}`));
      return listed.deadLetters.find((d: { inQueue: boolean }) => d.inQueue);
    }, 30_000);
    expect(dead).toMatchObject({ service: 'warehouse', reason: 'RETRIES_EXHAUSTED' });

    // Signed out, the page asks for a key; a key without ops is refused on the page.
    await page.goto(`${suite().urls.gateway}/ops`);
    await page.fill('#api-key', t.operator.key);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#sign-in-error:has-text("no ops role")');
    await page.fill('#api-key', ops.key);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#search:not([hidden])');
    await shot('1-signed-in');

    // The order found by its id: swimlanes with the dead letter in red, the compensation waiting.
    await page.fill('#search-input', order.id);
    await page.click('#search button[type=submit]');
    await page.waitForSelector('#swimlanes circle.step.failure');
    await page.waitForSelector(`#dead-letters tr[data-message-id="${dead.messageId}"]`);
    expect(await page.getAttribute('.saga-state', 'data-state')).toBe('cancelling');
    expect(await page.textContent('#pending')).toContain('cancelling');
    const lanes = await page.$$eval('#swimlanes .lane-name', (names) => names.map((n) => n.textContent));
    // A lane per service that recorded a step of the saga (the gateway forwards the requests over HTTP and records none).
    expect(lanes).toEqual(expect.arrayContaining(['orders', 'inventory', 'warehouse', 'notifications']));
    const kinds = await page.$$eval('#timeline tr[data-kind]', (rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['saga.compensation', 'message.dead-lettered']));
    expect(await page.textContent(`#dead-letters tr[data-message-id="${dead.messageId}"]`)).toContain('e2e fault');
    await shot('2-dead-letter');

    // The cause fixed, the dead letter replayed from the page: the page follows the saga to its end.
    await fault.lower(order.externalId);
    await page.click(`#dead-letters tr[data-message-id="${dead.messageId}"] button[data-action=replay]`);
    await page.waitForSelector('.saga-state[data-state="cancelled"]', { timeout: 30_000 });
    expect(await page.$('#pending')).toBeNull();
    await shot('3-completed');
    const cancelled = await t.reaches(order.id, 'cancelled');
    expect(cancelled.saga.cancellation).toMatchObject({ notes: 'done', stock: 'done' });
    expect(await t.stock(sku)).toEqual([{ warehouse, onHand: 5, reserved: 0, available: 5 }]);
    expect(await ops.expect(200, ops.get(`/v1/dead-letters/${dead.messageId}`))).toMatchObject({ status: 'replayed', actions: [{ action: 'replayed' }] });

    // The SKU's stock per warehouse, and the customer's orders, on their pages.
    await page.goto(`${suite().urls.gateway}/ops#/stock/${sku}`);
    await page.waitForSelector(`#stock tr:has-text("${warehouse}")`);
    expect(await page.textContent(`#stock tr:has-text("${warehouse}")`)).toMatch(/5\s*0\s*0\s*5/);
    await page.fill('#search-input', cancelled.customer.id);
    await page.click('#search button[type=submit]');
    await page.waitForSelector(`#orders a[href="#/saga/${order.id}"]`);
    await shot('4-stock-and-customer');
  });
});
