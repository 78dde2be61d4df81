import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumberString,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { CustomerValue, DECIMAL, OrderLineValue, ShippingAddressValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

export class OrderPlaced {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;

  @IsString()
  @IsNotEmpty()
  channel: string;

  @ValidateNested()
  @Type(() => CustomerValue)
  customer: CustomerValue;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => OrderLineValue)
  lines: OrderLineValue[];

  @IsString()
  @Length(3, 3)
  currency: string;

  @IsNumberString()
  @Matches(DECIMAL)
  totalAmount: string;

  @ValidateNested()
  @Type(() => ShippingAddressValue)
  shippingAddress: ShippingAddressValue;

  @IsIn(['pending', 'paid'])
  paymentStatus: 'pending' | 'paid';

  @IsOptional()
  @IsISO8601()
  requestedDeliveryDate?: string | null;
}

export const OrderPlacedV1 = defineEvent({
  type: 'orders.order.placed',
  version: 1,
  owner: 'orders',
  summary: 'An order was accepted for review.',
  payload: OrderPlaced,
});
