import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, CurrentCaller, IdempotencyOf, IdempotentRequests, type Caller, type IdempotentCall } from '@skald/service-kit';
import { OrderAcceptedDto } from '../intake/place-order.dto.js';
import { ModifyOrderDto } from './modify-order.dto.js';
import { ModificationService } from './modification.service.js';

@ApiTags('orders')
@Controller('v1/orders')
export class ModificationController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly modifications: ModificationService,
  ) {}

  @Patch(':id')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access({ platforms: true, roles: ['ops'] })
  @ApiOperation({ summary: 'Change lines, quantities or the address of an order not locked yet (received or on hold); it is reviewed again' })
  @ApiAcceptedResponse({ type: OrderAcceptedDto })
  @ApiProblems([400, 404, 409], { 404: 'ORDER_NOT_FOUND', 409: 'ORDER_LOCKED: approved already (cancel it instead)' })
  modify(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ModifyOrderDto,
    @IdempotencyOf() call: IdempotentCall,
  ): Promise<OrderAcceptedDto> {
    return this.idempotent.transaction(call, (manager) => this.modifications.modify(manager, caller, id, body));
  }
}
