import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, IdempotencyOf, IdempotentRequests, type IdempotentCall } from '@skald/service-kit';
import { DeliveryDto, MarkDeliveredBody, ShipmentIdParams, toDeliveryDto } from './dto/delivery.dto.js';
import { ShipmentsService } from './shipments.service.js';

@ApiTags('shipments')
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly shipments: ShipmentsService,
  ) {}

  @Post(':id/delivered')
  @HttpCode(200)
  @Access({ roles: ['warehouse', 'ops'] })
  @ApiOperation({
    summary: "The carrier's delivery callback; repeating it returns the recorded delivery and changes nothing",
  })
  @ApiOkResponse({ type: DeliveryDto })
  @ApiProblems([400, 401, 403, 404, 422], {
    404: 'No such shipment (SHIPMENT_NOT_FOUND)',
    422: 'deliveredAt is before the shipment left (DELIVERED_BEFORE_SHIPPED)',
  })
  delivered(@Param() params: ShipmentIdParams, @Body() body: MarkDeliveredBody, @IdempotencyOf() call: IdempotentCall): Promise<DeliveryDto> {
    const deliveredAt = body.deliveredAt === undefined ? new Date() : new Date(body.deliveredAt);
    return this.idempotent.transaction(call, async (manager) => toDeliveryDto(await this.shipments.markDelivered(manager, params.id, deliveredAt)));
  }
}
