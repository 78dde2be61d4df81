import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RETURN_STATUSES, type ReturnStatus } from '@skald/contracts';
import { outOfRange } from '@skald/service-kit';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../../http/page-query.dto.js';
import { CODE_PATTERN, CODE_PATTERN_MESSAGE, MAX_QUANTITY } from '../../http/validation.js';

// The returns service's own rules (services/returns return-request.dto.ts), so that what the
// gateway accepts the service accepts too (ADR 7).

/** A reason code: why a unit comes back, kept for analysis. */
export const REASON_CODE_PATTERN = /^[A-Z0-9_]{1,50}$/;
export const REASON_CODE_PATTERN_MESSAGE = 'must be a reason code: 1 to 50 of A-Z, 0-9 and "_"';

export const RETURN_RESOLUTIONS = ['refund', 'exchange'] as const;

export class ReturnIdParams {
  @ApiProperty({ description: "Skald's id of the return.", format: 'uuid' })
  @IsUUID()
  id: string;
}

export class ReturnLineDto {
  @ApiProperty({ description: 'A SKU of the order.', pattern: CODE_PATTERN.source, example: 'TEA-EARLGREY-250' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `sku ${CODE_PATTERN_MESSAGE}` })
  sku: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_QUANTITY, description: 'Units to return: at most what shipped less what earlier returns of the order took back.' })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY, outOfRange())
  quantity: number;

  @ApiProperty({ description: 'Why (a code of your choosing, kept for analysis; the policy may send some to a reviewer).', pattern: REASON_CODE_PATTERN.source, example: 'DAMAGED_IN_TRANSIT' })
  @IsString()
  @Matches(REASON_CODE_PATTERN, { message: `reasonCode ${REASON_CODE_PATTERN_MESSAGE}` })
  reasonCode: string;

  @ApiPropertyOptional({ description: "The customer's words.", maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

/** A platform asks for a return of delivered goods of one of its orders. */
export class RequestReturnDto {
  @ApiProperty({ description: "Skald's id of the order.", format: 'uuid' })
  @IsUUID()
  orderId: string;

  @ApiProperty({ type: [ReturnLineDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineDto)
  lines: ReturnLineDto[];

  @ApiProperty({ enum: RETURN_RESOLUTIONS, description: 'Money back, or the same SKUs again (a replacement order).' })
  @IsIn(RETURN_RESOLUTIONS)
  resolution: (typeof RETURN_RESOLUTIONS)[number];
}

export class ListReturnsQuery extends PageQuery {
  @ApiPropertyOptional({ description: "Only returns of this order (Skald's order id).", format: 'uuid' })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({ description: 'Only returns in this status (`requested`: the review queue).', enum: RETURN_STATUSES })
  @IsOptional()
  @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;

}

/** A reviewer's decision on a return waiting for review. */
export class ReviewReturnDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiProperty({ description: 'Why (kept with the decision; the customer is told).', minLength: 1, maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

/** Why a return is withdrawn. */
export class CancelReturnDto {
  @ApiPropertyOptional({ description: 'Why (kept with the status).', maxLength: 500, example: 'customer kept it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** A SKU and a count of its units. */
export class ReceivedReturnLineDto {
  @ApiProperty({ pattern: CODE_PATTERN.source, example: 'TEA-EARLGREY-250' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `sku ${CODE_PATTERN_MESSAGE}` })
  sku: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY, outOfRange())
  quantity: number;
}

/** The warehouse received a return's goods: what arrived, or (no lines) everything the return names. */
export class ReceiveReturnDto {
  @ApiPropertyOptional({ type: [ReceivedReturnLineDto], minItems: 1, maxItems: 200, description: 'What arrived; omitted: all the units of the return.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReceivedReturnLineDto)
  lines?: ReceivedReturnLineDto[];
}

export const RETURN_GRADES = ['A', 'B', 'C'] as const;

export class InspectedReturnLineDto extends ReceivedReturnLineDto {
  @ApiProperty({ enum: RETURN_GRADES, description: 'A: sellable (restocked); B: damaged (quarantined, never available); C: scrap (written off).' })
  @IsIn(RETURN_GRADES)
  grade: (typeof RETURN_GRADES)[number];

  @ApiPropertyOptional({ description: "The inspector's note.", maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

/** The warehouse graded a return's received units. */
export class InspectReturnDto {
  @ApiProperty({
    type: [InspectedReturnLineDto],
    minItems: 1,
    maxItems: 600,
    description: 'The received units by grade (a SKU may have a line per grade); they add up to what was received.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(600)
  @ValidateNested({ each: true })
  @Type(() => InspectedReturnLineDto)
  lines: InspectedReturnLineDto[];
}
