import { IsNotEmpty, IsNumber, IsNumberString, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DECIMAL } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

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
}

export const PlatformRegisteredV1 = defineEvent({
  type: 'gateway.platform.registered',
  version: 1,
  owner: 'gateway',
  summary: 'A platform (tenant) was registered, with its review settings.',
  payload: PlatformRegistered,
});
