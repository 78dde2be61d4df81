import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { ApiProblems } from '@skald/service-kit';
import { PutWarehouseDto, WarehouseDto, WarehouseParams } from './dto/warehouse.dto.js';
import { WarehousesService } from './warehouses.service.js';

@ApiTags('warehouses')
@Controller('v1/warehouses')
export class WarehousesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly warehouses: WarehousesService,
  ) {}

  @Put(':code')
  @Access({ roles: ['inventory'] })
  @ApiOperation({ summary: 'Create a warehouse or set its reservation priority' })
  @ApiOkResponse({ type: WarehouseDto })
  @ApiProblems([400, 401, 403])
  async put(@Param() { code }: WarehouseParams, @Body() body: PutWarehouseDto): Promise<WarehouseDto> {
    const warehouse = await this.dataSource.transaction((manager) => this.warehouses.put(manager, { code, ...body }));
    return WarehouseDto.from(warehouse);
  }
}
