import { anOutboundNoteShipped, aReserveCommand, anSku, aWarehouseCode } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';

describe('shipping consumes reservations and on-hand stock (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    inventory = await InventoryDriver.start();
  });

  afterAll(async () => {
    await inventory?.close();
  });

  afterEach(async () => {
    expect(await inventory.invariantViolations()).toEqual([]);
  });

  /** Stock in two warehouses (near first) and an order reserved across both. */
  async function reservedAcrossTwoWarehouses(quantity: number) {
    const sku = anSku();
    const [near, far] = [aWarehouseCode('NEAR'), aWarehouseCode('FAR')];
    await inventory.warehouse(near, 1);
    await inventory.warehouse(far, 2);
    await inventory.stocked([
      { warehouse: near, sku, quantity: 3 },
      { warehouse: far, sku, quantity: 10 },
    ]);
    const command = inventory.reserve(aReserveCommand({ lines: [{ sku, quantity }] }));
    const reserved = await inventory.reservedFor(command);
    return { sku, near, far, orderId: command.payload.orderId, reservations: reserved.payload.reservations };
  }

  interface ReservationRow {
    id: string;
    warehouse: string;
    quantity: number;
    status: string;
    settled_reference: string | null;
    split_from: string | null;
  }

  const reservationsOf = (orderId: string) =>
    inventory.query<ReservationRow>(
      `SELECT id, warehouse, quantity, status, settled_reference, split_from
         FROM reservation WHERE order_id = $1 ORDER BY warehouse, status`,
      [orderId],
    );

  const stockIn = async (sku: string, warehouse: string) =>
    (await inventory.stockOf(sku)).warehouses.find((level) => level.warehouse === warehouse);

  it("consumes the order's reservation in the shipping warehouse; the same note delivered again changes nothing", async () => {
    const { sku, near, far, orderId, reservations } = await reservedAcrossTwoWarehouses(5);
    const note = anOutboundNoteShipped({ orderId, warehouse: near, lines: [{ sku, quantity: 3 }] });

    await inventory.processed(inventory.ship(note));

    expect(await inventory.stockOf(sku)).toEqual({
      sku,
      warehouses: [
        { warehouse: near, onHand: 0, reserved: 0, quarantined: 0, available: 0, lowStockThreshold: null },
        { warehouse: far, onHand: 10, reserved: 2, quarantined: 0, available: 8, lowStockThreshold: null },
      ],
      totals: { onHand: 10, reserved: 2, quarantined: 0, available: 8 },
    });
    const ships = (await inventory.ledgerOf(sku)).filter((e) => e.kind === 'ship');
    expect(ships).toEqual([
      expect.objectContaining({
        warehouse: near,
        onHandDelta: -3,
        reservedDelta: -3,
        onHandAfter: 0,
        reservedAfter: 0,
        orderId,
        reference: note.noteId,
      }),
    ]);
    const nearReservation = reservations.find((r) => r.warehouse === near)!;
    expect(await reservationsOf(orderId)).toEqual([
      expect.objectContaining({ warehouse: far, quantity: 2, status: 'active', settled_reference: null }),
      {
        id: nearReservation.reservationId,
        warehouse: near,
        quantity: 3,
        status: 'consumed',
        settled_reference: note.noteId,
        split_from: null,
      },
    ]);

    const ledgerBefore = await inventory.ledgerOf(sku);
    await inventory.processed(inventory.ship(note));
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 10, reserved: 2, quarantined: 0, available: 8 });
    expect(await inventory.ledgerOf(sku)).toEqual(ledgerBefore);
  });

  it('consumes part of a reservation on a partial shipment and keeps the rest reserved for the order', async () => {
    const { sku, far, orderId, reservations } = await reservedAcrossTwoWarehouses(8);
    const farReservation = reservations.find((r) => r.warehouse === far)!;
    expect(farReservation.quantity).toBe(5);

    const partial = anOutboundNoteShipped({ orderId, warehouse: far, lines: [{ sku, quantity: 2 }] });
    await inventory.processed(inventory.ship(partial));
    const farRows = (await reservationsOf(orderId)).filter((r) => r.warehouse === far);
    expect(farRows).toEqual([
      { id: farReservation.reservationId, warehouse: far, quantity: 3, status: 'active', settled_reference: null, split_from: null },
      expect.objectContaining({
        quantity: 2,
        status: 'consumed',
        settled_reference: partial.noteId,
        split_from: farReservation.reservationId,
      }),
    ]);
    expect(await stockIn(sku, far)).toEqual({ warehouse: far, onHand: 8, reserved: 3, quarantined: 0, available: 5, lowStockThreshold: null });

    const rest = anOutboundNoteShipped({ orderId, warehouse: far, lines: [{ sku, quantity: 1 }, { sku, quantity: 2 }] });
    await inventory.processed(inventory.ship(rest));
    expect(await stockIn(sku, far)).toEqual({ warehouse: far, onHand: 5, reserved: 0, quarantined: 0, available: 5, lowStockThreshold: null });
    expect((await reservationsOf(orderId)).filter((r) => r.warehouse === far && r.status === 'active')).toEqual([]);
  });

  it('dead-letters a shipment not covered by active reservations, without touching stock', async () => {
    const { sku, near, far, orderId } = await reservedAcrossTwoWarehouses(4);
    const stockBefore = await inventory.stockOf(sku);
    const ledgerBefore = await inventory.ledgerOf(sku);

    const tooMuch = inventory.ship(anOutboundNoteShipped({ orderId, warehouse: far, lines: [{ sku, quantity: 2 }] }));
    const otherOrder = inventory.ship(
      anOutboundNoteShipped({ orderId: `${orderId}-other`, warehouse: near, lines: [{ sku, quantity: 1 }] }),
    );
    const unknownWarehouse = inventory.ship(anOutboundNoteShipped({ orderId, warehouse: 'NOWHERE', lines: [{ sku, quantity: 1 }] }));

    for (const message of [tooMuch, otherOrder, unknownWarehouse]) {
      const letter = await inventory.deadLettered(message);
      expect(letter.reason).toBe('NON_RETRYABLE_ERROR');
      expect(letter.detail).toMatch(/^RESERVATION_NOT_FOUND: /);
    }
    expect(await inventory.stockOf(sku)).toEqual(stockBefore);
    expect(await inventory.ledgerOf(sku)).toEqual(ledgerBefore);
    const notes = [tooMuch, otherOrder, unknownWarehouse].map((m) => m.payload.noteId);
    expect(await inventory.query(`SELECT note_id FROM stock_shipment WHERE note_id = ANY($1)`, [notes])).toEqual([]);
  });
});
