import { IsISO8601, IsNotEmpty, IsString } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class ShipmentDelivered {
  @IsString()
  @IsNotEmpty()
  shipmentId: string;

  @IsString()
  @IsNotEmpty()
  noteId: string;

  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsISO8601()
  deliveredAt: string;
}

export const ShipmentDeliveredV1 = defineEvent({
  type: 'warehouse.shipment.delivered',
  version: 1,
  owner: 'warehouse',
  summary: 'The carrier reported a shipment delivered.',
  payload: ShipmentDelivered,
});
