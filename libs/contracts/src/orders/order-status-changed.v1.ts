import { Type } from 'class-transformer';
import { IsArray, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { CustomerValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

/** Every status an order can have. */
export const ORDER_STATUSES = [
  'received',
  'on_hold',
  'rejected',
  'approved',
  'backordered',
  'reserved',
  'released',
  'picking',
  'packed',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export class ShipmentValue {
  @IsString()
  @IsNotEmpty()
  shipmentId: string;

  @IsString()
  @IsNotEmpty()
  carrier: string;

  @IsString()
  @IsNotEmpty()
  trackingNumber: string;
}

/** The return whose goods a replacement order (an exchange) replaces. */
export class ReplacementForValue {
  @IsUUID()
  returnId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  rmaNumber: string;
}

export class OrderStatusChanged {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;

  @IsIn(ORDER_STATUSES)
  status: OrderStatus;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  previousStatus?: OrderStatus | null;

  /** Why (rejection reasons, hold reasons, cancellation reason). */
  @IsOptional()
  @IsString()
  reason?: string | null;

  @ValidateNested()
  @Type(() => CustomerValue)
  customer: CustomerValue;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ShipmentValue)
  shipments?: ShipmentValue[];

  @IsISO8601()
  changedAt: string;

  /**
   * Set on a replacement order's statuses: the return it belongs to. The returns service may see
   * a replacement cancelled before it has handled `orders.replacement-order.placed`.
   */
  @IsOptional()
  @ValidateNested()
  @Type(() => ReplacementForValue)
  replacementFor?: ReplacementForValue | null;
}

export const OrderStatusChangedV1 = defineEvent({
  type: 'orders.order.status-changed',
  version: 1,
  owner: 'orders',
  summary: 'An order moved to a new status; customers and platforms are told.',
  payload: OrderStatusChanged,
});
