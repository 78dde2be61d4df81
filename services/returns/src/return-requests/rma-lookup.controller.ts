import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems } from '@skald/service-kit';
import { RmaLookupView, RmaNumberParams } from './return-request.dto.js';
import { ReturnRequestsService } from './return-requests.service.js';

/** On-call names a return saga by its RMA number; the gateway turns it into the saga's correlation id here. */
@ApiTags('returns')
@Controller('internal/returns')
export class RmaLookupController {
  constructor(private readonly returns: ReturnRequestsService) {}

  @Get('by-rma/:rmaNumber')
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: 'The return (and so the return saga) of an RMA number' })
  @ApiOkResponse({ type: RmaLookupView })
  @ApiProblems([400, 401, 403, 404], { 404: 'No return with this RMA number (RETURN_NOT_FOUND)' })
  byRmaNumber(@Param() { rmaNumber }: RmaNumberParams): Promise<RmaLookupView> {
    return this.returns.byRmaNumber(rmaNumber);
  }
}
