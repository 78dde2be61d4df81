import {
  BackorderAllocatedV1,
  BookReturnedStockV1,
  ReturnedStockBookedV1,
  ReturnedStockRefusedV1,
  type BookReturnedStock,
  type ReturnedStockBooked,
  type ReturnedStockRefused,
  CatalogItemUpdatedV1,
  LowStockAlertV1,
  OutboundNoteProgressedV1,
  OutboundNoteShippedV1,
  ReleaseStockV1,
  ReservationExpiredV1,
  ReserveStockV1,
  StockReleasedV1,
  StockReservationRejectedV1,
  StockReservedV1,
  type MessageDefinition,
  type MessageEnvelope,
  type OutboundNoteProgressed,
  type OutboundNoteShipped,
  type ReleaseStock,
  type ReserveStock,
  type StockReleased,
  type StockReservationRejected,
  type StockReserved,
} from '@skald/contracts';
import { MessageConsumer, messagingMetrics } from '@skald/messaging';
import { asStaff, BrokerProbe, startServiceUnderTest, waitFor, type ReceivedMessage, type ServiceUnderTest } from '@skald/testing';
import type { InventoryConfig } from '../src/config/inventory-config.js';
import { ReservationExpirySweeper } from '../src/reservations/reservation-expiry.sweeper.js';
import { service } from '../src/service.js';
import { aCatalogItem, type CatalogItemBody, type Line } from './factories.js';
import { stockInvariantViolations } from './stock-invariants.js';

export const INVENTORY_STAFF = asStaff(['inventory']);

export interface StockBody {
  sku: string;
  warehouses: Array<{ warehouse: string; onHand: number; reserved: number; quarantined: number; available: number; lowStockThreshold: number | null }>;
  totals: { onHand: number; reserved: number; quarantined: number; available: number };
}

export interface LedgerEntryBody {
  id: string;
  at: string;
  warehouse: string;
  sku: string;
  kind: string;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  quarantinedDelta: number;
  quarantinedAfter: number;
  writtenOff: number;
  orderId: string | null;
  reference: string | null;
  reason: string | null;
}

/** A reservation row as the database has it. */
export interface ReservationRow {
  id: string;
  order_id: string;
  attempt: number;
  sku: string;
  warehouse: string;
  quantity: number;
  status: string;
  settled_reference: string | null;
  expires_at: Date | null;
  expiry_notified_at: Date | null;
}

export interface DeadLetterEvent {
  reason: string;
  detail: string;
  messageId: string;
}

/**
 * The inventory service under test (scratch database, own broker vhost) with a broker probe
 * playing the other services, and the steps the specs are written in.
 */
export class InventoryDriver {
  private readonly committed = new Set<string>();
  private readonly deadLetters: DeadLetterEvent[] = [];

  private constructor(
    readonly sut: ServiceUnderTest<InventoryConfig>,
    readonly probe: BrokerProbe,
  ) {
    const consumer = sut.app.get(MessageConsumer);
    consumer.on('committed', (envelope: MessageEnvelope) => this.committed.add(envelope.id));
    consumer.on('dead-lettered', (event: DeadLetterEvent) => this.deadLetters.push(event));
  }

  static async start(env: Record<string, string> = {}): Promise<InventoryDriver> {
    const sut = await startServiceUnderTest(service, env);
    try {
      const probe = await new BrokerProbe(sut.rabbitmqUrl).start([
        CatalogItemUpdatedV1,
        StockReservedV1,
        StockReservationRejectedV1,
        BackorderAllocatedV1,
        StockReleasedV1,
        ReservationExpiredV1,
        LowStockAlertV1,
        ReturnedStockBookedV1,
        ReturnedStockRefusedV1,
      ]);
      return new InventoryDriver(sut, probe);
    } catch (error) {
      await sut.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.probe.stop();
    await this.sut.close();
  }

  http() {
    return this.sut.http();
  }

  async catalogItem(sku: string, overrides: Partial<CatalogItemBody> = {}): Promise<void> {
    const res = await this.http().put(`/v1/catalog/${sku}`).set(INVENTORY_STAFF).send(aCatalogItem(overrides));
    expect(res.status).toBe(200);
  }

  async warehouse(code: string, priority: number): Promise<void> {
    const res = await this.http().put(`/v1/warehouses/${code}`).set(INVENTORY_STAFF).send({ priority });
    expect(res.status).toBe(200);
  }

  async receive(warehouse: string, lines: Line[]): Promise<string> {
    const res = await this.http().post('/v1/stock/receipts').set(INVENTORY_STAFF).send({ warehouse, lines });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** Catalog items for the SKUs, then one receipt per warehouse. */
  async stocked(stock: Array<{ warehouse: string; sku: string; quantity: number }>): Promise<void> {
    for (const sku of new Set(stock.map((s) => s.sku))) await this.catalogItem(sku);
    for (const warehouse of new Set(stock.map((s) => s.warehouse))) {
      await this.receive(
        warehouse,
        stock.filter((s) => s.warehouse === warehouse).map(({ sku, quantity }) => ({ sku, quantity })),
      );
    }
  }

  async stockOf(sku: string): Promise<StockBody> {
    const res = await this.http().get(`/v1/stock/${sku}`).set(INVENTORY_STAFF);
    expect(res.status).toBe(200);
    return res.body as StockBody;
  }

  /** The whole ledger of an SKU, following the cursors. */
  async ledgerOf(sku: string): Promise<LedgerEntryBody[]> {
    const entries: LedgerEntryBody[] = [];
    let cursor: string | null = null;
    do {
      const res = await this.http()
        .get(`/v1/stock/${sku}/ledger`)
        .query({ limit: 200, ...(cursor ? { cursor } : {}) })
        .set(INVENTORY_STAFF);
      expect(res.status).toBe(200);
      entries.push(...(res.body.items as LedgerEntryBody[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return entries;
  }

  reserve(command: ReserveStock, meta: { tenantId?: string; correlationId?: string } = {}): MessageEnvelope<ReserveStock> {
    return this.probe.publish(ReserveStockV1, command, { tenantId: meta.tenantId ?? 'tenant-test', ...meta });
  }

  ship(note: OutboundNoteShipped): MessageEnvelope<OutboundNoteShipped> {
    return this.probe.publish(OutboundNoteShippedV1, note, { tenantId: 'tenant-test' });
  }

  release(command: ReleaseStock, meta: { tenantId?: string; correlationId?: string } = {}): MessageEnvelope<ReleaseStock> {
    return this.probe.publish(ReleaseStockV1, command, { tenantId: meta.tenantId ?? 'tenant-test', ...meta });
  }

  /** Sends the return saga's command to book a return's inspected goods. */
  bookReturnedStock(command: BookReturnedStock, meta: { tenantId?: string; correlationId?: string } = {}): MessageEnvelope<BookReturnedStock> {
    return this.probe.publish(BookReturnedStockV1, command, { tenantId: meta.tenantId ?? 'tenant-test', ...meta });
  }

  /** The ReturnedStockBooked answering a book command (by causation: a re-sent command has its own). */
  bookedFor(command: MessageEnvelope<BookReturnedStock>): Promise<ReceivedMessage<ReturnedStockBooked>> {
    return this.probe.next(ReturnedStockBookedV1, (_payload, envelope) => envelope.causationId === command.id);
  }

  refusedFor(command: MessageEnvelope<BookReturnedStock>): Promise<ReceivedMessage<ReturnedStockRefused>> {
    return this.probe.next(ReturnedStockRefusedV1, (_payload, envelope) => envelope.causationId === command.id);
  }

  noteProgressed(note: OutboundNoteProgressed): MessageEnvelope<OutboundNoteProgressed> {
    return this.probe.publish(OutboundNoteProgressedV1, note, { tenantId: 'tenant-test' });
  }

  /** The StockReleased answering a release command. */
  releasedFor(command: MessageEnvelope<ReleaseStock>): Promise<ReceivedMessage<StockReleased>> {
    return this.probe.next(StockReleasedV1, (_payload, envelope) => envelope.causationId === command.id);
  }

  /** The service's expiry sweeper, to sweep on the test's time instead of the timer's. */
  sweeper(): ReservationExpirySweeper {
    return this.sut.app.get(ReservationExpirySweeper);
  }

  async setThreshold(sku: string, warehouse: string, threshold: number): Promise<{ alerted: boolean }> {
    const res = await this.http()
      .put(`/v1/stock/${sku}/warehouses/${warehouse}/low-stock-threshold`)
      .set(INVENTORY_STAFF)
      .send({ threshold });
    expect(res.status).toBe(200);
    return res.body as { alerted: boolean };
  }

  /**
   * Payloads of the messages of a contract the service committed to its outbox, oldest first:
   * exact counts, independent of when the relay gets them to the broker.
   */
  async outbox<P>(definition: MessageDefinition<P>, where: (payload: P) => boolean = () => true): Promise<Array<MessageEnvelope<P>>> {
    const rows: Array<{ envelope: MessageEnvelope<P> }> = await this.query(
      `SELECT envelope FROM outbox_message WHERE routing_key = $1 ORDER BY seq`,
      [definition.routingKey],
    );
    return rows.map((row) => row.envelope).filter((envelope) => where(envelope.payload));
  }

  reservationsOf(orderId: string): Promise<ReservationRow[]> {
    return this.query<ReservationRow>(
      `SELECT id, order_id, attempt, sku, warehouse, quantity, status, settled_reference, expires_at, expiry_notified_at
         FROM reservation WHERE order_id = $1 ORDER BY sku, warehouse, created_at, id`,
      [orderId],
    );
  }

  /** Sum of the ledger's deltas of an SKU (all warehouses), to compare with the stock view's totals. */
  async ledgerTotals(sku: string): Promise<{ onHand: number; reserved: number; quarantined: number }> {
    const ledger = await this.ledgerOf(sku);
    return {
      onHand: ledger.reduce((sum, e) => sum + e.onHandDelta, 0),
      reserved: ledger.reduce((sum, e) => sum + e.reservedDelta, 0),
      quarantined: ledger.reduce((sum, e) => sum + e.quarantinedDelta, 0),
    };
  }

  /** The StockReserved answering a command (by causation, so a re-sent command has its own). */
  reservedFor(command: MessageEnvelope<ReserveStock>): Promise<ReceivedMessage<StockReserved>> {
    return this.probe.next(StockReservedV1, (_payload, envelope) => envelope.causationId === command.id);
  }

  rejectedFor(command: MessageEnvelope<ReserveStock>): Promise<ReceivedMessage<StockReservationRejected>> {
    return this.probe.next(StockReservationRejectedV1, (_payload, envelope) => envelope.causationId === command.id);
  }

  /** Waits until the service committed its handling of a message (also when it published nothing). */
  async processed(message: MessageEnvelope): Promise<void> {
    await waitFor(`message ${message.id} processed`, () => this.committed.has(message.id));
  }

  deadLettered(message: MessageEnvelope): Promise<DeadLetterEvent> {
    return waitFor(`message ${message.id} dead-lettered`, () => this.deadLetters.find((d) => d.messageId === message.id));
  }

  /**
   * How often handlers of a message type failed and were sent to a retry queue (lock timeouts,
   * deadlocks, constraint violations): contention must be settled by locks, not by retries.
   */
  async retries(definition: MessageDefinition): Promise<number> {
    const { values } = await messagingMetrics().consumed.get();
    return values
      .filter(({ labels }) => labels.service === service.service && labels.routing_key === definition.routingKey)
      .filter(({ labels }) => labels.outcome === 'retried')
      .reduce((sum, v) => sum + v.value, 0);
  }

  /** Rows of a table, for what the API does not show (reservation rows, outbox). */
  query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.sut.dataSource.query(sql, parameters);
  }

  invariantViolations(): Promise<string[]> {
    return stockInvariantViolations(this.sut.dataSource);
  }
}
