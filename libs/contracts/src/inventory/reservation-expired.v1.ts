import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';
import { ReservationValue } from './stock-reserved.v1.js';

export class ReservationExpired {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  /**
   * Reservations past their hold. They stay active (an outbound note may still be on its way)
   * until the order's saga releases them with `inventory.release-stock`.
   */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ReservationValue)
  reservations: ReservationValue[];
}

export const ReservationExpiredV1 = defineEvent({
  type: 'inventory.reservation.expired',
  version: 1,
  owner: 'inventory',
  summary: "An order's reservations are past their hold; the order's saga releases them and cancels or re-reserves.",
  payload: ReservationExpired,
});
