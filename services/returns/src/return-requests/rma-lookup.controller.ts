import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkaldError } from '@skald/contracts';
import { Access, ApiProblems } from '@skald/service-kit';
import { IsString, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { ReturnRequestEntity } from './return-request.entity.js';

export class RmaParams {
  @ApiProperty({ description: 'The RMA number', example: 'RMA-2026-000123' })
  @IsString()
  @Matches(/^RMA-\d{4}-\d{6,}$/, { message: 'rmaNumber must look like RMA-2026-000123' })
  rmaNumber: string;
}

/** The return an RMA number names: the saga timeline is asked by RMA number and kept under the return's id. */
@ApiTags('operations')
@Controller('internal/rma')
export class RmaLookupController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':rmaNumber')
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: "The return (its id, the saga's correlation id) an RMA number names" })
  @ApiOkResponse({ description: '{ returnId, rmaNumber, orderId }' })
  @ApiProblems([400, 401, 403, 404], { 404: 'No return has this RMA number (RETURN_NOT_FOUND)' })
  async lookup(@Param() params: RmaParams): Promise<{ returnId: string; rmaNumber: string; orderId: string }> {
    const found = await this.dataSource.getRepository(ReturnRequestEntity).findOne({
      where: { rmaNumber: params.rmaNumber },
      select: { id: true, rmaNumber: true, orderId: true },
    });
    if (!found) throw new SkaldError('RETURN_NOT_FOUND', `no return ${params.rmaNumber}`, { retryable: false });
    return { returnId: found.id, rmaNumber: found.rmaNumber, orderId: found.orderId };
  }
}
