import { Type } from 'class-transformer';
import { IsArray, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';
import { ReservationValue } from './stock-reserved.v1.js';

export class StockReleased {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  reason: string;

  /** The reservations released now (empty when a re-sent command found nothing left to release). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ReservationValue)
  released: ReservationValue[];

  /** Backordered lines that no longer wait. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  backorderEnded: StockLineValue[];
}

export const StockReleasedV1 = defineEvent({
  type: 'inventory.stock.released',
  version: 1,
  owner: 'inventory',
  summary: "An order's reservations were released (stock available again) and its backorder ended.",
  payload: StockReleased,
});
