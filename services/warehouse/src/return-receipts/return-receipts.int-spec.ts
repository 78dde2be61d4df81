import { randomUUID } from 'node:crypto';
import {
  CancelExpectedReturnV1,
  ExpectedReturnCancelledV1,
  ExpectReturnV1,
  RecordReturnInspectionV1,
  RecordReturnReceiptV1,
  ReturnExpectedV1,
  ReturnInspectedV1,
  ReturnReceiptRefusedV1,
  ReturnReceivedV1,
  type CancelExpectedReturn,
  type ExpectReturn,
  type MessageDefinition,
  type RecordReturnInspection,
  type RecordReturnReceipt,
} from '@skald/contracts';
import { AmqpConnection, DeadLetterQueue } from '@skald/messaging';
import { waitFor } from '@skald/testing';
import { unique } from '../../test/factories.js';
import { startWarehouse, type WarehouseWorld } from '../../test/warehouse.js';

const ANSWERS: MessageDefinition[] = [ReturnExpectedV1, ReturnReceivedV1, ReturnInspectedV1, ExpectedReturnCancelledV1, ReturnReceiptRefusedV1];

describe('inbound receipts for returns (real PostgreSQL and RabbitMQ)', () => {
  let world: WarehouseWorld;

  beforeAll(async () => {
    world = await startWarehouse();
    for (const answer of ANSWERS) await world.probe.watch(answer);
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const anExpectReturn = (overrides: Partial<ExpectReturn> = {}): ExpectReturn => ({
    returnId: randomUUID(),
    rmaNumber: `RMA-2026-${unique()}`,
    orderId: randomUUID(),
    warehouse: `WH-${unique()}`,
    lines: [
      { sku: `MUG-${unique()}`, quantity: 3 },
      { sku: `PLATE-${unique()}`, quantity: 2 },
    ],
    ...overrides,
  });

  /**
   * Sends a command as the return saga would and waits for the one event that answers it (by
   * causation); checks that no other kind of answer came.
   */
  async function send<C extends object, A>(command: MessageDefinition<C>, payload: C, answer: MessageDefinition<A>, tenantId = 'tenant-r') {
    const correlationId = `return-saga-${unique()}`;
    const sent = world.probe.publish(command, payload, { tenantId, correlationId });
    const received = await world.probe.next(answer, (_payload, envelope) => envelope.causationId === sent.id);
    expect(received).toMatchObject({ tenantId, correlationId });
    const others = ANSWERS.filter((definition) => definition !== (answer as MessageDefinition)).flatMap((definition) =>
      world.probe.messages(definition, (_payload, envelope) => envelope.causationId === sent.id),
    );
    expect(others).toEqual([]);
    return received.payload;
  }

  const expectReturn = (command: ExpectReturn) => send(ExpectReturnV1, command, ReturnExpectedV1);
  const receive = (command: RecordReturnReceipt) => send(RecordReturnReceiptV1, command, ReturnReceivedV1);
  const inspect = (command: RecordReturnInspection) => send(RecordReturnInspectionV1, command, ReturnInspectedV1);
  const cancel = (command: CancelExpectedReturn) => send(CancelExpectedReturnV1, command, ExpectedReturnCancelledV1);
  const refused = <C extends object>(command: MessageDefinition<C>, payload: C) => send(command, payload, ReturnReceiptRefusedV1);

  const statusOf = async (returnId: string): Promise<string | undefined> =>
    (await world.sut.dataSource.query(`SELECT status FROM return_receipt WHERE return_id::text = $1`, [returnId]))[0]?.status;

  /** An expected return, received in full. */
  async function aReceivedReturn(command = anExpectReturn()) {
    await expectReturn(command);
    await receive({ returnId: command.returnId, lines: command.lines });
    return command;
  }

  it('expects a return once: lines added up per SKU, and a re-sent command answered with the receipt as opened', async () => {
    const command = anExpectReturn();
    const [mug, plate] = command.lines.map((line) => line.sku);
    const withRepeat = { ...command, lines: [...command.lines, { sku: mug, quantity: 1 }] };

    const expected = await expectReturn(withRepeat);

    expect(expected).toEqual({
      returnId: command.returnId,
      rmaNumber: command.rmaNumber,
      orderId: command.orderId,
      warehouse: command.warehouse,
      lines: [
        { sku: mug, quantity: 4 },
        { sku: plate, quantity: 2 },
      ],
      expectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await statusOf(command.returnId)).toBe('expected');

    // The saga re-sends on a timeout (a new message id); a copy with other lines changes nothing either.
    expect(await expectReturn(withRepeat)).toEqual(expected);
    expect(await expectReturn({ ...command, warehouse: 'WH-OTHER', lines: [{ sku: mug, quantity: 9 }] })).toEqual(expected);
    expect(await world.sut.dataSource.query(`SELECT sku, expected_quantity FROM return_receipt_line WHERE return_id = $1 ORDER BY sku`, [command.returnId])).toEqual([
      { sku: mug, expected_quantity: 4 },
      { sku: plate, expected_quantity: 2 },
    ]);
  });

  it('opens and receives once when copies of a command arrive at the same time', async () => {
    const command = anExpectReturn();
    const [first, second] = await Promise.all([expectReturn(command), expectReturn(command)]);
    expect(second).toEqual(first);

    const receipt = { returnId: command.returnId, lines: command.lines };
    const [a, b] = await Promise.all([receive(receipt), receive(receipt)]);
    expect(b).toEqual(a);
    expect(await world.sut.dataSource.query(`SELECT status FROM return_receipt WHERE return_id = $1`, [command.returnId])).toEqual([{ status: 'received' }]);
    expect(await world.sut.dataSource.query(`SELECT count(*)::int AS n FROM return_receipt_line WHERE return_id = $1`, [command.returnId])).toEqual([{ n: 2 }]);
  });

  it('records fewer goods than expected, lists only what arrived, and answers a re-sent receipt with the first', async () => {
    const command = anExpectReturn();
    const [mug, plate] = command.lines.map((line) => line.sku);
    await expectReturn(command);

    const received = await receive({
      returnId: command.returnId,
      lines: [
        { sku: mug, quantity: 1 },
        { sku: mug, quantity: 1 },
      ],
    });

    expect(received).toEqual({
      returnId: command.returnId,
      rmaNumber: command.rmaNumber,
      orderId: command.orderId,
      warehouse: command.warehouse,
      lines: [{ sku: mug, quantity: 2 }],
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await statusOf(command.returnId)).toBe('received');
    expect(await receive({ returnId: command.returnId, lines: [{ sku: mug, quantity: 2 }] })).toEqual(received);
    expect(await receive({ returnId: command.returnId, lines: [{ sku: plate, quantity: 2 }] })).toEqual(received);
    expect(
      await world.sut.dataSource.query(`SELECT sku, received_quantity FROM return_receipt_line WHERE return_id = $1 ORDER BY sku`, [command.returnId]),
    ).toEqual([
      { sku: mug, received_quantity: 2 },
      { sku: plate, received_quantity: 0 },
    ]);
  });

  it('refuses a receipt with more than expected, an SKU not on the return, or for a return nobody expects, and changes nothing', async () => {
    const command = anExpectReturn();
    const [mug, plate] = command.lines.map((line) => line.sku);
    await expectReturn(command);

    expect(
      await refused(RecordReturnReceiptV1, {
        returnId: command.returnId,
        lines: [
          { sku: mug, quantity: 3 },
          { sku: plate, quantity: 2 },
          { sku: plate, quantity: 1 },
        ],
      }),
    ).toEqual({
      returnId: command.returnId,
      code: 'RETURN_QUANTITY_EXCEEDED',
      reason: `More than return ${command.returnId} expects (${plate}: 3 arrived, 2 expected).`,
      command: 'warehouse.record-return-receipt',
    });
    expect(await refused(RecordReturnReceiptV1, { returnId: command.returnId, lines: [{ sku: 'SPOON-1', quantity: 1 }] })).toMatchObject({
      code: 'RETURN_NOT_EXPECTED',
      reason: `Return ${command.returnId} does not bring back SPOON-1.`,
    });
    const nobody = randomUUID();
    expect(await refused(RecordReturnReceiptV1, { returnId: nobody, lines: [{ sku: mug, quantity: 1 }] })).toEqual({
      returnId: nobody,
      code: 'RETURN_NOT_EXPECTED',
      reason: `No receipt expects return ${nobody}.`,
      command: 'warehouse.record-return-receipt',
    });

    expect(await statusOf(command.returnId)).toBe('expected');
    expect(await statusOf(nobody)).toBeUndefined();
    expect(
      await world.sut.dataSource.query(`SELECT received_quantity FROM return_receipt_line WHERE return_id = $1`, [command.returnId]),
    ).toEqual([{ received_quantity: null }, { received_quantity: null }]);
    // Still expected: the goods can be received as they are.
    expect((await receive({ returnId: command.returnId, lines: command.lines })).lines).toEqual(command.lines);
  });

  it('records the inspection when the grades add up to what was received per SKU, and answers a re-sent one with the first', async () => {
    const command = await aReceivedReturn();
    const [mug, plate] = command.lines.map((line) => line.sku);
    const lines: RecordReturnInspection['lines'] = [
      { sku: mug, quantity: 1, grade: 'A' },
      { sku: plate, quantity: 2, grade: 'C', note: 'shattered' },
      { sku: mug, quantity: 2, grade: 'B', note: 'chipped handle' },
    ];

    const inspected = await inspect({ returnId: command.returnId, lines });

    expect(inspected).toEqual({
      returnId: command.returnId,
      rmaNumber: command.rmaNumber,
      orderId: command.orderId,
      warehouse: command.warehouse,
      lines,
      inspectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await statusOf(command.returnId)).toBe('inspected');
    expect(await inspect({ returnId: command.returnId, lines })).toEqual(inspected);
    expect(await inspect({ returnId: command.returnId, lines: [{ sku: mug, quantity: 3, grade: 'A' }, { sku: plate, quantity: 2, grade: 'A' }] })).toEqual(
      inspected,
    );
    expect(await world.sut.dataSource.query(`SELECT count(*)::int AS n FROM return_inspection_line WHERE return_id = $1`, [command.returnId])).toEqual([
      { n: 3 },
    ]);
    // Received goods cannot be cancelled any more.
    expect(await refused(CancelExpectedReturnV1, { returnId: command.returnId, reason: 'customer changed mind' })).toMatchObject({
      code: 'RETURN_ALREADY_RECEIVED',
      command: 'warehouse.cancel-expected-return',
    });
  });

  it('refuses an inspection whose grades do not add up, or of goods not yet received, and changes nothing', async () => {
    const command = anExpectReturn();
    const [mug, plate] = command.lines.map((line) => line.sku);
    await expectReturn(command);

    expect(await refused(RecordReturnInspectionV1, { returnId: command.returnId, lines: [{ sku: mug, quantity: 3, grade: 'A' }] })).toEqual({
      returnId: command.returnId,
      code: 'RETURN_NOT_RECEIVED',
      reason: `The goods of return ${command.returnId} have not been received yet.`,
      command: 'warehouse.record-return-inspection',
    });

    await receive({ returnId: command.returnId, lines: [{ sku: mug, quantity: 3 }] });
    // Too few of one SKU, and an SKU that was expected but did not arrive.
    const mismatch = await refused(RecordReturnInspectionV1, {
      returnId: command.returnId,
      lines: [
        { sku: mug, quantity: 2, grade: 'A' },
        { sku: plate, quantity: 1, grade: 'B' },
      ],
    });
    expect(mismatch).toEqual({
      returnId: command.returnId,
      code: 'RETURN_INSPECTION_MISMATCH',
      reason: `The grades of return ${command.returnId} do not add up to what was received (${mug}: 2 graded, 3 received; ${plate}: 1 graded, 0 received).`,
      command: 'warehouse.record-return-inspection',
    });
    expect(await refused(RecordReturnInspectionV1, { returnId: command.returnId, lines: [{ sku: mug, quantity: 4, grade: 'C' }] })).toMatchObject({
      code: 'RETURN_INSPECTION_MISMATCH',
    });
    expect(await statusOf(command.returnId)).toBe('received');
    expect(await world.sut.dataSource.query(`SELECT line_no FROM return_inspection_line WHERE return_id = $1`, [command.returnId])).toEqual([]);
    expect((await inspect({ returnId: command.returnId, lines: [{ sku: mug, quantity: 3, grade: 'A' }] })).lines).toEqual([
      { sku: mug, quantity: 3, grade: 'A' },
    ]);
  });

  it('cancels an expected return once, answers a re-sent cancellation with the first, and refuses its goods afterwards', async () => {
    const command = anExpectReturn();
    await expectReturn(command);

    const cancelled = await cancel({ returnId: command.returnId, reason: 'customer kept the goods' });

    expect(cancelled).toEqual({
      returnId: command.returnId,
      rmaNumber: command.rmaNumber,
      orderId: command.orderId,
      warehouse: command.warehouse,
      reason: 'customer kept the goods',
      cancelledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await statusOf(command.returnId)).toBe('cancelled');
    expect(await cancel({ returnId: command.returnId, reason: 'again' })).toEqual(cancelled);
    // A late or re-sent expect-return is answered with the cancellation; nothing opens again.
    expect(await send(ExpectReturnV1, command, ExpectedReturnCancelledV1)).toEqual(cancelled);
    expect(await refused(RecordReturnReceiptV1, { returnId: command.returnId, lines: command.lines })).toMatchObject({
      code: 'RETURN_NOT_EXPECTED',
      reason: `Return ${command.returnId} was cancelled (customer kept the goods).`,
    });
    expect(await refused(RecordReturnInspectionV1, { returnId: command.returnId, lines: [{ ...command.lines[0], grade: 'A' }] })).toMatchObject({
      code: 'RETURN_NOT_EXPECTED',
    });
    expect(await statusOf(command.returnId)).toBe('cancelled');
  });

  it('remembers a cancellation that arrives before the return was expected: the late expect-return opens nothing', async () => {
    const command = anExpectReturn();

    const cancelled = await cancel({ returnId: command.returnId, reason: 'cancelled right after approval' });
    expect(cancelled).toEqual({
      returnId: command.returnId,
      rmaNumber: null,
      orderId: null,
      warehouse: null,
      reason: 'cancelled right after approval',
      cancelledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    expect(await send(ExpectReturnV1, command, ExpectedReturnCancelledV1)).toEqual(cancelled);
    expect(await statusOf(command.returnId)).toBe('cancelled');
    expect(await world.sut.dataSource.query(`SELECT sku FROM return_receipt_line WHERE return_id = $1`, [command.returnId])).toEqual([]);
  });

  it.each([
    ['an expect-return whose return id is not a UUID', ExpectReturnV1, () => ({ ...anExpectReturn(), returnId: 'RMA-1' })],
    ['an expect-return without lines', ExpectReturnV1, () => ({ ...anExpectReturn(), lines: [] })],
    ['a receipt with a zero quantity', RecordReturnReceiptV1, () => ({ returnId: randomUUID(), lines: [{ sku: 'MUG-1', quantity: 0 }] })],
    ['an inspection with a grade that is not A, B or C', RecordReturnInspectionV1, () => ({ returnId: randomUUID(), lines: [{ sku: 'MUG-1', quantity: 1, grade: 'D' }] })],
    ['a cancellation without a reason', CancelExpectedReturnV1, () => ({ returnId: randomUUID(), reason: '' })],
  ] as Array<[string, MessageDefinition<object>, () => object]>)('dead-letters %s, answering nothing', async (_what, definition, payload) => {
    const body = payload() as { returnId: string };
    const sent = world.probe.publish(definition, body);

    const dlq = new DeadLetterQueue(world.sut.app.get(AmqpConnection), 'warehouse');
    const letter = await waitFor('dead letter', async () => (await dlq.list()).find((l) => l.messageId === sent.id));
    expect(letter).toMatchObject({ reason: 'INVALID_PAYLOAD' });
    expect(ANSWERS.flatMap((answer) => world.probe.messages(answer, (_p, envelope) => envelope.causationId === sent.id))).toEqual([]);
    expect(await statusOf(body.returnId)).toBeUndefined();
  });
});
