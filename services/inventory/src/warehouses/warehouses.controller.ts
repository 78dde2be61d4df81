import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, IdempotencyOf, IdempotentRequests, type IdempotentCall } from '@skald/service-kit';
import { PutWarehouseDto, WarehouseDto, WarehouseParams } from './dto/warehouse.dto.js';
import { WarehousesService } from './warehouses.service.js';

@ApiTags('warehouses')
@Controller('v1/warehouses')
export class WarehousesController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly warehouses: WarehousesService,
  ) {}

  @Put(':code')
  @Access({ roles: ['inventory'] })
  @ApiOperation({ summary: 'Create a warehouse or set its reservation priority' })
  @ApiOkResponse({ type: WarehouseDto })
  @ApiProblems([400, 401, 403])
  put(@Param() { code }: WarehouseParams, @Body() body: PutWarehouseDto, @IdempotencyOf() call: IdempotentCall): Promise<WarehouseDto> {
    return this.idempotent.transaction(call, async (manager) => WarehouseDto.from(await this.warehouses.put(manager, { code, ...body })));
  }
}
