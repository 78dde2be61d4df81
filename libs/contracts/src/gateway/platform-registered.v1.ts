import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsNumber, IsNumberString, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DECIMAL, PARTIAL_REMAINDERS, SHORTAGE_MODES, type PartialRemainder, type ShortageMode } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

/** A platform's default shortage policy for orders that do not carry one. */
export class ShortageDefaultsValue {
  @IsIn(SHORTAGE_MODES)
  mode: ShortageMode;

  /** A backorder's deadline, counted from when the order is placed. */
  @IsInt()
  @Min(1)
  @Max(365)
  backorderDays: number;

  @IsIn(PARTIAL_REMAINDERS)
  partialRemainder: PartialRemainder;

  /** How far ahead an order's own backorder deadline may be. Absent (platforms registered before): 90. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  maxBackorderDays?: number;
}

export class PlatformRegistered {
  @IsString()
  @IsNotEmpty()
  tenantId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  /** A unit price may be this many percent below list price before review rejects it. */
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  priceTolerancePct: number;

  /** Orders above this amount wait for a reviewer. */
  @IsNumberString()
  @Matches(DECIMAL)
  reviewAmountThreshold: string;

  /** Absent (platforms registered before shortage policies): `reject`. */
  @IsOptional()
  @ValidateNested()
  @Type(() => ShortageDefaultsValue)
  shortagePolicy?: ShortageDefaultsValue;
}

export const PlatformRegisteredV1 = defineEvent({
  type: 'gateway.platform.registered',
  version: 1,
  owner: 'gateway',
  summary: 'A platform (tenant) was registered, with its review settings.',
  payload: PlatformRegistered,
});
