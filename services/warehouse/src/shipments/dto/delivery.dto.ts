import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import type { Shipment } from '../shipment.entity.js';

/** Carrier clocks drift; a delivery time further ahead than this is a bad value, not drift. */
export const MAX_CLOCK_SKEW_MS = 60_000;

/** A date-time with a time zone: a bare date or local time would be ambiguous. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

@ValidatorConstraint({ name: 'notInTheFuture' })
class NotInTheFuture implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Date.parse(value) <= Date.now() + MAX_CLOCK_SKEW_MS;
  }

  defaultMessage(): string {
    return 'deliveredAt must not be in the future';
  }
}

export class ShipmentIdParams {
  @ApiProperty({ format: 'uuid', description: 'Shipment id' })
  @IsUUID()
  id: string;
}

export class MarkDeliveredBody {
  @ApiPropertyOptional({ format: 'date-time', description: 'When the carrier delivered; default now' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(DATE_TIME, { message: 'deliveredAt must be a date-time with a time zone (2026-11-23T10:15:00Z)' })
  @Validate(NotInTheFuture)
  deliveredAt?: string;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: "The shipment's id" })
  id: string;

  @ApiProperty({ format: 'uuid' })
  noteId: string;

  @ApiProperty()
  orderId: string;

  @ApiProperty({ example: 'SF Express' })
  carrier: string;

  @ApiProperty()
  trackingNumber: string;

  @ApiProperty({ format: 'date-time' })
  shippedAt: string;

  @ApiProperty({ format: 'date-time' })
  deliveredAt: string;
}

export function toDeliveryDto(shipment: Shipment): DeliveryDto {
  if (!shipment.deliveredAt) throw new Error(`shipment ${shipment.id} is not delivered`);
  return {
    id: shipment.id,
    noteId: shipment.noteId,
    orderId: shipment.orderId,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    shippedAt: shipment.shippedAt.toISOString(),
    deliveredAt: shipment.deliveredAt.toISOString(),
  };
}
