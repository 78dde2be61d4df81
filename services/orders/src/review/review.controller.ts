import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentCaller, IdempotencyOf, IdempotentRequests, type Caller, type IdempotentCall } from '@skald/service-kit';
import { PendingReviewsDto, ReviewDecidedDto, ReviewDecisionDto, ReviewQueryDto } from './review.dto.js';
import { ReviewService } from './review.service.js';

@ApiTags('reviews')
@Controller('v1')
export class ReviewController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly reviews: ReviewService,
  ) {}

  @Get('reviews')
  @Access({ roles: ['reviewer'] })
  @ApiOperation({ summary: 'Orders waiting for a reviewer' })
  @ApiOkResponse({ type: PendingReviewsDto })
  async pending(@Query() _query: ReviewQueryDto): Promise<PendingReviewsDto> {
    return { items: await this.reviews.pending() };
  }

  @Post('orders/:id/review')
  @HttpCode(HttpStatus.OK)
  @Access({ roles: ['reviewer'] })
  @ApiOperation({ summary: 'Approve or reject a held order' })
  @ApiOkResponse({ type: ReviewDecidedDto })
  @ApiConflictResponse({ description: 'ORDER_NOT_ON_HOLD' })
  decide(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: ReviewDecisionDto,
    @IdempotencyOf() call: IdempotentCall,
  ): Promise<ReviewDecidedDto> {
    return this.idempotent.transaction(call, (manager) => this.reviews.decide(manager, caller, id, body.decision, body.reason));
  }
}
