import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CURSOR_PATTERN } from './validation.js';

/** A list's page: the cursor the previous page returned and a page size of at most 100. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.', pattern: CURSOR_PATTERN.source })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'cursor must be a nextCursor the API returned' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'Page size.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
