import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

/**
 * Why the warehouse refused a command about a return's inbound receipt:
 * - `RETURN_NOT_EXPECTED`: no receipt expects this return (never announced, or cancelled), or an
 *   SKU that is not on it;
 * - `RETURN_QUANTITY_EXCEEDED`: more of an SKU arrived than the return expects;
 * - `RETURN_NOT_RECEIVED`: an inspection before the goods were received;
 * - `RETURN_INSPECTION_MISMATCH`: the graded quantities of an SKU do not add up to what was received;
 * - `RETURN_ALREADY_RECEIVED`: a cancellation after the goods were received.
 */
export const RETURN_RECEIPT_REFUSALS = [
  'RETURN_NOT_EXPECTED',
  'RETURN_QUANTITY_EXCEEDED',
  'RETURN_NOT_RECEIVED',
  'RETURN_INSPECTION_MISMATCH',
  'RETURN_ALREADY_RECEIVED',
] as const;
export type ReturnReceiptRefusal = (typeof RETURN_RECEIPT_REFUSALS)[number];

/** The commands a refusal may answer. */
export const RETURN_RECEIPT_COMMANDS = ['warehouse.record-return-receipt', 'warehouse.record-return-inspection', 'warehouse.cancel-expected-return'] as const;
export type ReturnReceiptCommand = (typeof RETURN_RECEIPT_COMMANDS)[number];

export class ReturnReceiptRefused {
  @IsUUID()
  returnId: string;

  @IsIn(RETURN_RECEIPT_REFUSALS)
  code: ReturnReceiptRefusal;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;

  /** The type of the command refused. */
  @IsIn(RETURN_RECEIPT_COMMANDS)
  command: ReturnReceiptCommand;
}

export const ReturnReceiptRefusedV1 = defineEvent({
  type: 'warehouse.return.receipt-refused',
  version: 1,
  owner: 'warehouse',
  summary: "The warehouse refused a command about a return's inbound receipt (a business refusal; nothing changed).",
  payload: ReturnReceiptRefused,
});
