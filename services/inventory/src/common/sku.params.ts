import { ApiProperty } from '@nestjs/swagger';
import { IDENTIFIER_PATTERN_SOURCE, IsIdentifier } from './identifiers.js';

export class SkuParams {
  @ApiProperty({ pattern: IDENTIFIER_PATTERN_SOURCE, example: 'TEA-OOLONG-250' })
  @IsIdentifier()
  sku: string;
}
