import { randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import pg from 'pg';
import type { GatewayClient } from './gateway-client.js';
import { catalogReachedOrders } from './replicas.js';
import { suite, type SuiteTarget } from './suite-state.mjs';

export interface StockRow {
  warehouse: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface LedgerEntry {
  warehouse: string;
  kind: string;
  onHandDelta: number;
  reservedDelta: number;
  /** Returned goods graded B go into quarantine (on hand, never available). */
  quarantinedDelta?: number;
  orderId: string | null;
}

export interface PlaceOptions {
  paid?: boolean;
  shortagePolicy?: object;
  email?: string;
}

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/**
 * A trading day seen through the gateway: staff set up SKUs, warehouses and stock, a platform
 * places orders, an operator works outbound notes. Every name carries the run's tag, so tests
 * own their data.
 */
export class Trading {
  readonly run = randomUUID().slice(0, 6).toUpperCase();
  private orderSeq = 0;

  constructor(
    readonly shop: GatewayClient,
    readonly staff: GatewayClient,
    readonly operator: GatewayClient,
    /** The suite the clients talk to (the shared one unless a test runs its own). */
    readonly target: SuiteTarget = suite(),
  ) {}

  /** A sellable SKU with a list price, known to orders' catalog replica before it returns. */
  async sku(name: string, listPrice = 10): Promise<string> {
    const sku = `${name}-${this.run}`;
    await this.staff.expect(200, this.staff.put(`/v1/catalog/${sku}`, { name, listPrice, currency: 'EUR', sellable: true, returnable: true }));
    await catalogReachedOrders([sku], this.target.databases.orders);
    return sku;
  }

  async warehouse(code: string, priority: number): Promise<string> {
    const warehouse = `${code}-${this.run}`;
    await this.staff.expect(200, this.staff.put(`/v1/warehouses/${warehouse}`, { priority, name: code }));
    return warehouse;
  }

  async receive(warehouse: string, lines: Array<{ sku: string; quantity: number }>): Promise<void> {
    await this.staff.expect(201, this.staff.post('/v1/stock/receipts', { warehouse, lines }));
  }

  async stock(sku: string): Promise<StockRow[]> {
    const levels = (await this.staff.expect(200, this.staff.get(`/v1/stock/${sku}`))).warehouses as StockRow[];
    return levels.map(({ warehouse, onHand, reserved, available }) => ({ warehouse, onHand, reserved, available }));
  }

  async ledger(sku: string): Promise<LedgerEntry[]> {
    return (await this.staff.expect(200, this.staff.get(`/v1/stock/${sku}/ledger?limit=200`))).items as LedgerEntry[];
  }

  /** `warehouse kind onHandDelta/reservedDelta` per ledger entry of the SKU, oldest first. */
  async ledgerLines(sku: string, orderId?: string): Promise<string[]> {
    return (await this.ledger(sku)).filter((e) => orderId === undefined || e.orderId === orderId).map((e) => `${e.warehouse} ${e.kind} ${e.onHandDelta}/${e.reservedDelta}`);
  }

  /**
   * Stock equals its ledger: on hand and reserved are the sums of the SKU's entries, per warehouse.
   * Level and ledger are two reads of a live system, so a movement landing between them is waited
   * out; a real difference stays and fails.
   */
  async expectStockMatchesLedger(sku: string): Promise<void> {
    let problem: string | null = null;
    try {
      await waitFor(`${sku} stock to match its ledger`, async () => {
        problem = await this.stockLedgerDifference(sku);
        return problem === null ? true : undefined;
      }, 10_000);
    } catch {
      throw new Error(problem ?? `${sku}: stock and ledger could not be compared`);
    }
  }

  private async stockLedgerDifference(sku: string): Promise<string | null> {
    const ledger = await this.ledger(sku);
    const levels = (await this.staff.expect(200, this.staff.get(`/v1/stock/${sku}`))).warehouses as Array<StockRow & { quarantined: number }>;
    for (const level of levels) {
      const mine = ledger.filter((e) => e.warehouse === level.warehouse);
      const onHand = mine.reduce((sum, e) => sum + e.onHandDelta, 0);
      const reserved = mine.reduce((sum, e) => sum + e.reservedDelta, 0);
      const quarantined = mine.reduce((sum, e) => sum + (e.quarantinedDelta ?? 0), 0);
      if (onHand !== level.onHand || reserved !== level.reserved || quarantined !== level.quarantined || level.available !== level.onHand - level.reserved - level.quarantined) {
        return `${sku} in ${level.warehouse}: level ${JSON.stringify(level)}, ledger on hand ${onHand}, reserved ${reserved}, quarantined ${quarantined}`;
      }
    }
    return null;
  }

  async place(lines: OrderLine[], options: PlaceOptions = {}): Promise<{ id: string; email: string; externalId: string }> {
    const { externalId, email, body } = this.orderRequest(lines, options);
    const placed = await this.shop.expect(202, this.shop.post('/v1/orders', body));
    return { id: placed.id, email, externalId };
  }

  /** The next order of this run as the platform POSTs it to /v1/orders (not sent). */
  orderRequest(lines: OrderLine[], options: PlaceOptions = {}): { externalId: string; email: string; body: Record<string, unknown> } {
    this.orderSeq += 1;
    const externalId = `SHOP-${this.run}-${this.orderSeq}`;
    const email = options.email ?? `buyer-${this.run.toLowerCase()}-${this.orderSeq}@example.test`;
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    const body = {
      externalId,
      channel: 'web',
      customer: { id: `C-${this.run}-${this.orderSeq}`, name: 'Buyer', email, phone: '+32470000002' },
      lines,
      currency: 'EUR',
      shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
      payment: { method: 'card', status: options.paid ? 'paid' : 'pending', amount: options.paid ? total : 0 },
      ...(options.shortagePolicy ? { shortagePolicy: options.shortagePolicy } : {}),
    };
    return { externalId, email, body };
  }

  order(id: string): Promise<any> {
    return this.shop.expect(200, this.shop.get(`/v1/orders/${id}`));
  }

  reaches(id: string, status: string, timeoutMs = 30_000): Promise<any> {
    return waitFor(`order ${id} ${status}`, async () => {
      const current = await this.order(id);
      return current.status === status ? current : undefined;
    }, timeoutMs);
  }

  /** Waits until the saga is in `state` (e.g. `cancelled`, `completed`). */
  sagaReaches(id: string, state: string, timeoutMs = 30_000): Promise<any> {
    return waitFor(`saga ${id} ${state}`, async () => {
      const current = await this.order(id);
      return current.saga?.state === state ? current : undefined;
    }, timeoutMs);
  }

  history(order: { statusHistory: Array<{ status: string }> }): string[] {
    return order.statusHistory.map((entry) => entry.status);
  }

  async notes(orderId: string): Promise<Array<{ id: string; warehouse: string; status: string; batch: number; restockRequired?: boolean; lines: Array<{ sku: string; quantity: number }> }>> {
    return (await this.operator.expect(200, this.operator.get(`/v1/outbound-notes?orderId=${orderId}`))).items;
  }

  /** Waits until the order has `count` outbound notes. */
  notesOf(orderId: string, count: number): Promise<Awaited<ReturnType<Trading['notes']>>> {
    return waitFor(`${count} notes of ${orderId}`, async () => {
      const notes = await this.notes(orderId);
      return notes.length >= count ? notes : undefined;
    });
  }

  async step(noteId: string, step: 'confirm' | 'pick' | 'pack'): Promise<void> {
    await this.operator.expect(200, this.operator.post(`/v1/outbound-notes/${noteId}/${step}`));
  }

  async ship(noteId: string): Promise<string> {
    const shipped = await this.operator.expect(200, this.operator.post(`/v1/outbound-notes/${noteId}/ship`, { carrier: 'bpost', trackingNumber: `TRK-${noteId.slice(0, 8)}` }));
    return shipped.shipment.id;
  }

  /** Confirms, picks, packs and ships a note. */
  async shipAll(noteId: string): Promise<string> {
    for (const step of ['confirm', 'pick', 'pack'] as const) await this.step(noteId, step);
    return this.ship(noteId);
  }

  /**
   * A paid order of `quantity` units of `sku` (received into `warehouse` first), shipped and
   * delivered through the API, and known as delivered to returns (its replica learns it from events).
   */
  async deliveredOrder(warehouse: string, sku: string, quantity: number, unitPrice: number, options: PlaceOptions = {}): Promise<string> {
    await this.receive(warehouse, [{ sku, quantity }]);
    const { id } = await this.place([{ sku, quantity, unitPrice }], { paid: true, ...options });
    const [note] = await this.notesOf(id, 1);
    const shipmentId = await this.shipAll(note.id);
    await this.operator.expect(200, this.operator.post(`/v1/shipments/${shipmentId}/delivered`, {}));
    await this.reaches(id, 'delivered');
    await waitFor(`order ${id} delivered in returns`, async () => {
      const rows = await queryService(
        'returns',
        `SELECT 1 FROM returnable_order o JOIN returnable_shipment s USING (order_id) WHERE o.order_id = $1 AND s.shipped_at IS NOT NULL AND s.delivered_at IS NOT NULL`,
        [id],
        this.target,
      );
      return rows.length === 1 ? true : undefined;
    }, 30_000);
    return id;
  }

  cancel(id: string, reason = 'customer changed their mind') {
    return this.shop.post(`/v1/orders/${id}/cancel`, { reason });
  }
}

/** Rows of one service's database (read-only checks the API does not expose: saga step log). */
export async function queryService<T = any>(
  service: 'gateway' | 'orders' | 'inventory' | 'warehouse' | 'returns' | 'notifications',
  sql: string,
  params: unknown[] = [],
  target: SuiteTarget = suite(),
): Promise<T[]> {
  const client = new pg.Client({ connectionString: target.databases[service] });
  // A connection terminated under it (the fault test) fails the query, not the test process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
