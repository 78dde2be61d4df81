import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { AddressValue, WarehouseLinesValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

export class CreateOutboundNotes {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  recipientName: string;

  @ValidateNested()
  @Type(() => AddressValue)
  shipTo: AddressValue;

  /**
   * Which shipment batch of the order these notes are (default 1): a partial order's backordered
   * rest ships as batch 2 from the same warehouses. Notes are unique per (order, warehouse, batch).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  batch?: number;

  /** One outbound note per warehouse, from the order's reservations. */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => WarehouseLinesValue)
  notes: WarehouseLinesValue[];
}

export const CreateOutboundNotesV1 = defineCommand({
  type: 'warehouse.create-outbound-notes',
  version: 1,
  owner: 'warehouse',
  summary: 'Create the outbound notes of a reserved order, one per warehouse.',
  payload: CreateOutboundNotes,
});
