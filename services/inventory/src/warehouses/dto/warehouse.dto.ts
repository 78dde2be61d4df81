import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IDENTIFIER_PATTERN_SOURCE, IsIdentifier } from '../../common/identifiers.js';
import type { Warehouse } from '../warehouse.entity.js';

export class WarehouseParams {
  @ApiProperty({ pattern: IDENTIFIER_PATTERN_SOURCE, example: 'WH-NORTH' })
  @IsIdentifier()
  code: string;
}

export class PutWarehouseDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Lower is reserved from first; ties by code', example: 10 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priority: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'Kept as it was when omitted', example: 'North hub' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
}

export class WarehouseDto {
  @ApiProperty({ example: 'WH-NORTH' })
  code: string;

  @ApiProperty({ type: String, nullable: true, example: 'North hub' })
  name: string | null;

  @ApiProperty({ type: 'integer', example: 10 })
  priority: number;

  static from(warehouse: Warehouse): WarehouseDto {
    return { code: warehouse.code, name: warehouse.name, priority: warehouse.priority };
  }
}
