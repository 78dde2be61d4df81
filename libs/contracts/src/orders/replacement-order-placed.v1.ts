import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class ReplacementOrderPlaced {
  @IsUUID()
  returnId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  rmaNumber: string;

  /** The order the goods were returned from. */
  @IsUUID()
  orderId: string;

  /** The replacement order (its saga runs as any order's). */
  @IsUUID()
  replacementOrderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;
}

export const ReplacementOrderPlacedV1 = defineEvent({
  type: 'orders.replacement-order.placed',
  version: 1,
  owner: 'orders',
  summary: "A return's replacement order was placed (also the answer to a re-sent place-replacement-order).",
  payload: ReplacementOrderPlaced,
});
