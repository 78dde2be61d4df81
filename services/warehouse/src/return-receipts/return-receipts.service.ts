import { Injectable, Logger } from '@nestjs/common';
import type {
  CancelExpectedReturn,
  ExpectedReturnCancelled,
  ExpectReturn,
  RecordReturnInspection,
  RecordReturnReceipt,
  ReturnExpected,
  ReturnInspected,
  ReturnReceiptCommand,
  ReturnReceiptRefusal,
  ReturnReceiptRefused,
  ReturnReceived,
  StockLineValue,
} from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import type { ReturnReceipt, ReturnReceiptLine } from './return-receipt.entity.js';
import { ReturnReceiptsRepository } from './return-receipts.repository.js';

/** What a command about a return's receipt comes to: the event that answers it. */
export type ReturnReceiptAnswer =
  | { kind: 'expected'; payload: ReturnExpected }
  | { kind: 'received'; payload: ReturnReceived }
  | { kind: 'inspected'; payload: ReturnInspected }
  | { kind: 'cancelled'; payload: ExpectedReturnCancelled }
  | { kind: 'refused'; payload: ReturnReceiptRefused };

/** A receipt that was announced (expect-return arrived): its RMA, order and warehouse are known. */
type AnnouncedReceipt = ReturnReceipt & { rmaNumber: string; orderId: string; warehouse: string; expectedAt: Date };

/**
 * Inbound receipts for returns, driven by the return saga's commands: expected when the return is
 * approved, received when the goods arrive (never more than expected), inspected with a grade per
 * unit, or cancelled before receipt. Each command runs under the receipt's row lock; a re-sent
 * command (or a late one) changes nothing and is answered with the event of the step as recorded.
 * A command the receipt's state does not allow is refused (`warehouse.return.receipt-refused`),
 * changing nothing.
 */
@Injectable()
export class ReturnReceiptsService {
  private readonly logger = new Logger(ReturnReceiptsService.name);

  constructor(private readonly receipts: ReturnReceiptsRepository) {}

  /**
   * Opens the return's receipt (status `expected`), once per return: a re-sent command gets the
   * receipt as it was opened (the first command's lines), a command for a return cancelled
   * before gets its cancellation.
   */
  async expect(manager: EntityManager, command: ExpectReturn, tenantId: string | null): Promise<ReturnReceiptAnswer> {
    const opened = await this.receipts.insertExpected(
      manager,
      { returnId: command.returnId, rmaNumber: command.rmaNumber, orderId: command.orderId, tenantId, warehouse: command.warehouse, expectedAt: new Date() },
      linesBySku(command.lines),
    );
    const receipt = await this.locked(manager, command.returnId);
    if (receipt.status === 'cancelled' || !isAnnounced(receipt)) {
      this.logger.log(`return ${command.returnId} was cancelled before it was received; nothing opened`);
      return { kind: 'cancelled', payload: cancelledPayload(receipt) };
    }
    if (opened) this.logger.log(`return ${command.returnId} (${command.rmaNumber}) expected in ${command.warehouse}`);
    else this.logger.log(`return ${command.returnId}: expect-return re-sent; answering the receipt as opened`);
    const lines = await this.receipts.lines(manager, receipt.returnId);
    return {
      kind: 'expected',
      payload: {
        ...refOf(receipt),
        lines: lines.map((line) => ({ sku: line.sku, quantity: line.expectedQuantity })),
        expectedAt: receipt.expectedAt.toISOString(),
      },
    };
  }

  /**
   * Records what arrived: per SKU at most what was expected (fewer is fine; an SKU that did not
   * come back may be left out). Refused: `RETURN_NOT_EXPECTED` (no receipt, cancelled, or an SKU
   * not on the return), `RETURN_QUANTITY_EXCEEDED`. Once received, a re-sent command gets the
   * receipt as recorded.
   */
  async receive(manager: EntityManager, command: RecordReturnReceipt): Promise<ReturnReceiptAnswer> {
    const refuse = refusal(command.returnId, 'warehouse.record-return-receipt');
    const receipt = await this.receipts.lock(manager, command.returnId);
    if (!receipt || !isAnnounced(receipt)) return this.refused(refuse('RETURN_NOT_EXPECTED', `No receipt expects return ${command.returnId}.`));
    if (receipt.status === 'cancelled') {
      return this.refused(refuse('RETURN_NOT_EXPECTED', `Return ${command.returnId} was cancelled (${receipt.cancelReason}).`));
    }
    const expected = await this.receipts.lines(manager, receipt.returnId);
    if (receipt.status !== 'expected') {
      this.logger.log(`return ${command.returnId}: receipt re-sent; answering the receipt as recorded`);
      return { kind: 'received', payload: receivedPayload(receipt, expected) };
    }

    const arrived = sumBySku(command.lines);
    const byExpected = new Map(expected.map((line) => [line.sku, line.expectedQuantity]));
    const foreign = [...arrived.keys()].filter((sku) => !byExpected.has(sku));
    if (foreign.length > 0) {
      return this.refused(refuse('RETURN_NOT_EXPECTED', `Return ${command.returnId} does not bring back ${foreign.join(', ')}.`));
    }
    const exceeded = [...arrived].filter(([sku, quantity]) => quantity > (byExpected.get(sku) ?? 0));
    if (exceeded.length > 0) {
      const what = exceeded.map(([sku, quantity]) => `${sku}: ${quantity} arrived, ${byExpected.get(sku)} expected`).join('; ');
      return this.refused(refuse('RETURN_QUANTITY_EXCEEDED', `More than return ${command.returnId} expects (${what}).`));
    }

    await this.receipts.markReceived(manager, receipt.returnId, arrived, new Date());
    const received = await this.locked(manager, receipt.returnId);
    this.logger.log(`return ${command.returnId}: received ${[...arrived.values()].reduce((a, b) => a + b, 0)} unit(s)`);
    return { kind: 'received', payload: receivedPayload(received as AnnouncedReceipt, await this.receipts.lines(manager, receipt.returnId)) };
  }

  /**
   * Records the inspection: per SKU, the graded quantities add up to what was received. Refused:
   * `RETURN_NOT_EXPECTED` (no receipt, or cancelled), `RETURN_NOT_RECEIVED` (the goods have not
   * arrived yet), `RETURN_INSPECTION_MISMATCH`. Once inspected, a re-sent command gets the
   * inspection as recorded.
   */
  async inspect(manager: EntityManager, command: RecordReturnInspection): Promise<ReturnReceiptAnswer> {
    const refuse = refusal(command.returnId, 'warehouse.record-return-inspection');
    const receipt = await this.receipts.lock(manager, command.returnId);
    if (!receipt || !isAnnounced(receipt)) return this.refused(refuse('RETURN_NOT_EXPECTED', `No receipt expects return ${command.returnId}.`));
    switch (receipt.status) {
      case 'cancelled':
        return this.refused(refuse('RETURN_NOT_EXPECTED', `Return ${command.returnId} was cancelled (${receipt.cancelReason}).`));
      case 'expected':
        return this.refused(refuse('RETURN_NOT_RECEIVED', `The goods of return ${command.returnId} have not been received yet.`));
      case 'inspected':
        this.logger.log(`return ${command.returnId}: inspection re-sent; answering the inspection as recorded`);
        return { kind: 'inspected', payload: await this.inspectedPayload(manager, receipt) };
      case 'received':
        break;
    }

    const received = new Map(
      (await this.receipts.lines(manager, receipt.returnId)).filter((line) => (line.receivedQuantity ?? 0) > 0).map((line) => [line.sku, line.receivedQuantity ?? 0]),
    );
    const graded = sumBySku(command.lines);
    const mismatches = [...new Set([...received.keys(), ...graded.keys()])]
      .sort()
      .filter((sku) => (graded.get(sku) ?? 0) !== (received.get(sku) ?? 0))
      .map((sku) => `${sku}: ${graded.get(sku) ?? 0} graded, ${received.get(sku) ?? 0} received`);
    if (mismatches.length > 0) {
      return this.refused(refuse('RETURN_INSPECTION_MISMATCH', `The grades of return ${command.returnId} do not add up to what was received (${mismatches.join('; ')}).`));
    }

    await this.receipts.markInspected(manager, receipt.returnId, command.lines, new Date());
    this.logger.log(`return ${command.returnId}: inspected, ${command.lines.length} graded line(s)`);
    return { kind: 'inspected', payload: await this.inspectedPayload(manager, await this.locked(manager, receipt.returnId)) };
  }

  /**
   * Stops expecting the return's goods (status `cancelled`), also before expect-return arrived (a
   * tombstone: it will open nothing). A re-sent command gets the first cancellation. Refused with
   * `RETURN_ALREADY_RECEIVED` once the goods arrived.
   */
  async cancel(manager: EntityManager, command: CancelExpectedReturn, tenantId: string | null): Promise<ReturnReceiptAnswer> {
    const at = new Date();
    await this.receipts.insertCancelled(manager, { returnId: command.returnId, tenantId, reason: command.reason, at });
    const receipt = await this.locked(manager, command.returnId);
    if (receipt.status === 'received' || receipt.status === 'inspected') {
      return this.refused(
        refusal(command.returnId, 'warehouse.cancel-expected-return')('RETURN_ALREADY_RECEIVED', `The goods of return ${command.returnId} were received already.`),
      );
    }
    if (receipt.status === 'expected') {
      await this.receipts.markCancelled(manager, receipt.returnId, command.reason, at);
      this.logger.log(`return ${command.returnId}: no longer expected (${command.reason})`);
      return { kind: 'cancelled', payload: cancelledPayload(await this.locked(manager, receipt.returnId)) };
    }
    if (receipt.cancelledAt?.getTime() !== at.getTime()) this.logger.log(`return ${command.returnId}: cancellation re-sent; answering the first`);
    return { kind: 'cancelled', payload: cancelledPayload(receipt) };
  }

  private refused(payload: ReturnReceiptRefused): ReturnReceiptAnswer {
    this.logger.warn(`return ${payload.returnId}: ${payload.command} refused, ${payload.code}: ${payload.reason}`);
    return { kind: 'refused', payload };
  }

  /** The receipt, locked; it exists (inserted in this transaction or found). */
  private async locked(manager: EntityManager, returnId: string): Promise<ReturnReceipt> {
    const receipt = await this.receipts.lock(manager, returnId);
    if (!receipt) throw new Error(`return receipt ${returnId} vanished in its own transaction`);
    return receipt;
  }

  private async inspectedPayload(manager: EntityManager, receipt: ReturnReceipt): Promise<ReturnInspected> {
    const lines = await this.receipts.inspectionLines(manager, receipt.returnId);
    return {
      ...refOf(receipt as AnnouncedReceipt),
      lines: lines.map(({ sku, grade, quantity, note }) => ({ sku, grade, quantity, ...(note === null ? {} : { note }) })),
      inspectedAt: (receipt.inspectedAt as Date).toISOString(),
    };
  }
}

function isAnnounced(receipt: ReturnReceipt): receipt is AnnouncedReceipt {
  return receipt.rmaNumber !== null;
}

function refOf(receipt: AnnouncedReceipt) {
  return { returnId: receipt.returnId, rmaNumber: receipt.rmaNumber, orderId: receipt.orderId, warehouse: receipt.warehouse };
}

function receivedPayload(receipt: AnnouncedReceipt, lines: ReturnReceiptLine[]): ReturnReceived {
  return {
    ...refOf(receipt),
    lines: lines.filter((line) => (line.receivedQuantity ?? 0) > 0).map((line) => ({ sku: line.sku, quantity: line.receivedQuantity ?? 0 })),
    receivedAt: (receipt.receivedAt as Date).toISOString(),
  };
}

function cancelledPayload(receipt: ReturnReceipt): ExpectedReturnCancelled {
  return {
    returnId: receipt.returnId,
    rmaNumber: receipt.rmaNumber,
    orderId: receipt.orderId,
    warehouse: receipt.warehouse,
    reason: receipt.cancelReason ?? '',
    cancelledAt: (receipt.cancelledAt as Date).toISOString(),
  };
}

function refusal(returnId: string, command: ReturnReceiptCommand) {
  return (code: ReturnReceiptRefusal, reason: string): ReturnReceiptRefused => ({ returnId, code, reason, command });
}

/** Quantities per SKU, lines of the same SKU added up. */
function sumBySku(lines: readonly StockLineValue[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  return totals;
}

function linesBySku(lines: readonly StockLineValue[]): StockLineValue[] {
  return [...sumBySku(lines)].map(([sku, quantity]) => ({ sku, quantity }));
}
