import { ApiProperty } from '@nestjs/swagger';
import { MAX_QUANTITY, RETURN_STATUSES, type ReturnStatus } from '@skald/contracts';
import { outOfRange } from '@skald/service-kit';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class ReceivedLineBody {
  @ApiProperty({ example: 'MUG-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY, outOfRange())
  quantity: number;
}

export class ReturnLineBody extends ReceivedLineBody {
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

export class ReceiveReturnBody {
  @ApiProperty({ type: [ReceivedLineBody], required: false, description: 'What arrived; absent: everything the return lists' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReceivedLineBody)
  lines?: ReceivedLineBody[];
}

export class InspectedLineBody extends ReceivedLineBody {
  @ApiProperty({ enum: ['A', 'B', 'C'], description: 'A sellable (back to stock), B damaged (quarantined), C scrap (written off)' })
  @IsIn(['A', 'B', 'C'])
  grade: 'A' | 'B' | 'C';

  @ApiProperty({ required: false, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class InspectReturnBody {
  @ApiProperty({ type: [InspectedLineBody] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(600)
  @ValidateNested({ each: true })
  @Type(() => InspectedLineBody)
  lines: InspectedLineBody[];
}

export class ReturnIdParams {
  @ApiProperty({ format: 'uuid' })
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

export class ReceivedLineView {
  @ApiProperty() sku: string;
  @ApiProperty() quantity: number;
}

export class InspectedLineView extends ReceivedLineView {
  @ApiProperty({ enum: ['A', 'B', 'C'] }) grade: 'A' | 'B' | 'C';
  @ApiProperty({ nullable: true, type: String }) note?: string | null;
}

export class RefusalView {
  @ApiProperty() code: string;
  @ApiProperty() reason: string;
  @ApiProperty() at: string;
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
  @ApiProperty({ nullable: true, type: String, description: 'The refund instructed after inspection' }) refundAmount: string | null;
  @ApiProperty({ nullable: true, type: String, description: "An exchange's replacement order" }) replacementOrderId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The warehouse the goods go back to' }) warehouse: string | null;
  @ApiProperty({ nullable: true, type: [ReceivedLineView] }) received: ReceivedLineView[] | null;
  @ApiProperty({ nullable: true, type: [InspectedLineView] }) inspection: InspectedLineView[] | null;
  @ApiProperty({ nullable: true, type: () => RefusalView, description: "The warehouse's or inventory's last refusal (the step can be recorded again)" }) refusal: RefusalView | null;
  @ApiProperty({ description: 'An answer the saga waits for has not come after the last re-send (still retried)' }) stuck: boolean;
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
