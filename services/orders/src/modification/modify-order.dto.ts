import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { AddressDto, OrderLineDto } from '../intake/place-order.dto.js';
import { LinesTotalWithinBounds } from '../shared/amount-bounds.js';

/** What may change before the order is locked; what is given replaces what the order has. */
export class ModifyOrderDto {
  @ApiPropertyOptional({ type: [OrderLineDto], description: 'The new lines (all of them: SKUs, quantities, prices)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @LinesTotalWithinBounds()
  lines?: OrderLineDto[];

  @ApiPropertyOptional({ type: AddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  shippingAddress?: AddressDto;
}
