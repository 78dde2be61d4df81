import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ReviewDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiProperty({ example: 'Known customer, amount confirmed by phone' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class ReviewQueryDto {
  @ApiProperty({ enum: ['pending'], required: false, default: 'pending' })
  @IsOptional()
  @IsIn(['pending'])
  status?: 'pending';
}

export class ReviewReasonDto {
  @ApiProperty({ example: 'AMOUNT_ABOVE_THRESHOLD' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'The figures behind the reason (AMOUNT_MISMATCH: paymentAmount, linesTotal, currency).', example: { paymentAmount: '30', linesTotal: '25', currency: 'EUR' } })
  details?: Record<string, string>;
}

export class PendingReviewDto {
  @ApiProperty({ format: 'uuid', description: "The held order's id (POST /v1/orders/{id}/review)" }) id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ example: '1250' }) totalAmount: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [ReviewReasonDto] }) reasons: ReviewReasonDto[];
  @ApiProperty() heldAt: string;
}

export class PendingReviewsDto {
  @ApiProperty({ type: [PendingReviewDto] }) items: PendingReviewDto[];
}

export class ReviewDecidedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'approved' }) status: string;
}
