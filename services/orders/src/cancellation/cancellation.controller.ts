import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, CurrentCaller, IdempotencyOf, IdempotentRequests, type Caller, type IdempotentCall } from '@skald/service-kit';
import { CancellationAcceptedDto, CancelOrderDto } from './cancellation.dto.js';
import { CancellationService } from './cancellation.service.js';

@ApiTags('orders')
@Controller('v1/orders')
export class CancellationController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly cancellations: CancellationService,
  ) {}

  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access({ platforms: true, roles: ['ops'] })
  @ApiOperation({
    summary: 'Cancel an order (until it ships)',
    description: 'Releases its reservations, cancels its outbound notes (picked goods go back to stock), instructs a refund of a paid order and tells the customer, in reverse order of what was done.',
  })
  @ApiAcceptedResponse({ type: CancellationAcceptedDto })
  @ApiProblems([404, 409], { 404: 'ORDER_NOT_FOUND', 409: 'ORDER_SHIPPED (a return is the way) or ORDER_CLOSED (cancelled or rejected already)' })
  cancel(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CancelOrderDto,
    @IdempotencyOf() call: IdempotentCall,
  ): Promise<CancellationAcceptedDto> {
    return this.idempotent.transaction(call, (manager) => this.cancellations.cancel(manager, caller, id, body.reason));
  }
}
