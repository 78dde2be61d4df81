import { ApiProperty } from '@nestjs/swagger';
import { MAX_QUANTITY, RETURN_STATUSES, type ReturnStatus } from '@skald/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class ReturnLineBody {
  @ApiProperty({ example: 'MUG-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;

  @ApiProperty({ example: 'DAMAGED_IN_TRANSIT', description: 'A reason code (A-Z, 0-9, _), kept for analysis' })
  @IsString()
  @Matches(/^[A-Z0-9_]{1,50}$/, { message: 'reasonCode is a reason code (A-Z, 0-9, _; at most 50)' })
  reasonCode: string;

  @ApiProperty({ required: false, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class RequestReturnBody {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  orderId: string;

  @ApiProperty({ type: [ReturnLineBody] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineBody)
  lines: ReturnLineBody[];

  @ApiProperty({ enum: ['refund', 'exchange'] })
  @IsIn(['refund', 'exchange'])
  resolution: 'refund' | 'exchange';
}

export class ReturnIdParams {
  @IsUUID()
  id: string;
}

export class ReviewReturnBody {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiProperty({ maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class CancelReturnBody {
  @ApiProperty({ required: false, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ListReturnsQuery {
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @IsOptional()
  @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class ReturnAcceptedView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'RMA-2026-000123' }) rmaNumber: string;
  @ApiProperty({ enum: RETURN_STATUSES }) status: ReturnStatus;
}

export class ReturnLineView {
  @ApiProperty() sku: string;
  @ApiProperty() quantity: number;
  @ApiProperty() reasonCode: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
}

export class ReturnView extends ReturnAcceptedView {
  @ApiProperty() orderId: string;
  @ApiProperty() externalId: string;
  @ApiProperty() platformId: string;
  @ApiProperty({ enum: ['refund', 'exchange'] }) resolution: 'refund' | 'exchange';
  @ApiProperty({ type: [ReturnLineView] }) lines: ReturnLineView[];
  @ApiProperty({ description: 'What the returned units are worth at the order prices' }) amount: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: [String] }) reviewReasons: string[];
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ description: 'Waiting past the after-sales answer time (review) or the inspection time' }) overdue: boolean;
  @ApiProperty({ description: 'What the return waits for now' }) waitingFor: string;
  @ApiProperty({ nullable: true, type: String }) deadlineAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ReturnPageView {
  @ApiProperty({ type: [ReturnView] }) items: ReturnView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
