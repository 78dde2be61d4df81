import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentCaller, IdempotencyOf, IdempotentRequests, tenantOf, type Caller, type IdempotentCall } from '@skald/service-kit';
import { IntakeService } from './intake.service.js';
import { OrderAcceptedDto, PlaceOrderDto } from './place-order.dto.js';

@ApiTags('orders')
@Controller('v1/orders')
export class IntakeController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly intake: IntakeService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Access({ platforms: true })
  @ApiOperation({ summary: 'Place an order (reviewed asynchronously)' })
  @ApiAcceptedResponse({ type: OrderAcceptedDto })
  @ApiConflictResponse({ description: 'ORDER_EXTERNAL_ID_EXISTS' })
  place(@CurrentCaller() caller: Caller, @Body() body: PlaceOrderDto, @IdempotencyOf() call: IdempotentCall): Promise<OrderAcceptedDto> {
    return this.idempotent.transaction(call, (manager) => this.intake.place(manager, tenantOf(caller), body));
  }
}
