import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { GradedLineValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

export class BookReturnedStock {
  @IsUUID()
  returnId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  rmaNumber: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  orderId: string;

  /** The warehouse the goods came back to. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  warehouse: string;

  /** The inspected lines: grade A back into stock, B quarantined, C written off. */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => GradedLineValue)
  lines: GradedLineValue[];
}

export const BookReturnedStockV1 = defineCommand({
  type: 'inventory.book-returned-stock',
  version: 1,
  owner: 'inventory',
  summary:
    "Book a return's inspected goods: grade A back on hand and available (ledger return_restocked), B on hand but quarantined (return_quarantined), C written off (return_written_off). Once per returnId; answered with inventory.returned-stock.booked or inventory.returned-stock.refused.",
  payload: BookReturnedStock,
});
