import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  AddressValue,
  PHONE_PATTERN,
  PHONE_PATTERN_MESSAGE,
  RECIPIENT_COMPANY_MAX_LENGTH,
  RECIPIENT_NAME_MAX_LENGTH,
  WarehouseLinesValue,
} from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

export class CreateOutboundNotes {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;

  /** Who receives the parcel (the shipping address's name, else the customer's). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_NAME_MAX_LENGTH)
  recipientName: string;

  /** The recipient's phone for the label (the shipping address's, else the customer's); absent if neither has one. */
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `recipientPhone ${PHONE_PATTERN_MESSAGE}` })
  recipientPhone?: string | null;

  /** The recipient's company, when the address names one. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_COMPANY_MAX_LENGTH)
  recipientCompany?: string | null;

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
