import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { SagaPage } from '@skald/contracts';
import { Access, ApiProblems } from '@skald/service-kit';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { SagaLists } from './saga-lists.js';

export class SagaListQueryDto {
  @ApiProperty({ enum: ['stuck', 'compensating'] })
  @IsIn(['stuck', 'compensating'])
  state: 'stuck' | 'compensating';

  @ApiPropertyOptional({ description: 'Only sagas that changed at or after this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;
}

/** `GET /internal/sagas?state=stuck|compensating`: the on-call lists of this service's sagas (internal token required). */
@ApiTags('operations')
@Controller('internal/sagas')
export class SagasController {
  constructor(@Inject(SagaLists) private readonly lists: SagaLists) {}

  @Get()
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: 'Sagas past their deadline or marked stuck, or compensating; newest change first' })
  @ApiOkResponse({ description: 'SagaPage' })
  @ApiProblems([400, 401, 403])
  list(@Query() query: SagaListQueryDto): Promise<SagaPage> {
    return this.lists.list({ state: query.state, since: query.since ? new Date(query.since) : undefined, limit: query.limit ?? 50, cursor: query.cursor });
  }
}
