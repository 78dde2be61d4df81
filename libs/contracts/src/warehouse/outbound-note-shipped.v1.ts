import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsISO8601, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

export class OutboundNoteShipped {
  @IsString()
  @IsNotEmpty()
  noteId: string;

  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  warehouse: string;

  @IsString()
  @IsNotEmpty()
  shipmentId: string;

  @IsString()
  @IsNotEmpty()
  carrier: string;

  @IsString()
  @IsNotEmpty()
  trackingNumber: string;

  /** What left the warehouse: inventory consumes the reservation and on-hand stock by these. */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];

  @IsISO8601()
  shippedAt: string;
}

export const OutboundNoteShippedV1 = defineEvent({
  type: 'warehouse.outbound-note.shipped',
  version: 1,
  owner: 'warehouse',
  summary: 'An outbound note left the warehouse with a carrier and tracking number.',
  payload: OutboundNoteShipped,
});
