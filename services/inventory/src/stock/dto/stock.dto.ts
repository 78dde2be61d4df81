import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { outOfRange } from '@skald/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IDENTIFIER_PATTERN_SOURCE, IsIdentifier } from '../../common/identifiers.js';
import { availableOf, type StockLevelView } from '../stock-level.entity.js';
import { MOVEMENT_KINDS, type MovementKind, type StockMovement } from '../stock-movement.entity.js';
import type { LedgerPage, ThresholdSetting } from '../stock.service.js';

/** Far above any real stock level, like the largest receipt line. */
const MAX_THRESHOLD = 1_000_000;

export class WarehouseStockDto {
  @ApiProperty({ example: 'WH-NORTH' })
  warehouse: string;

  @ApiProperty({ type: 'integer', example: 12 })
  onHand: number;

  @ApiProperty({ type: 'integer', example: 4 })
  reserved: number;

  @ApiProperty({ type: 'integer', description: 'Damaged returned units: on hand, never available', example: 1 })
  quarantined: number;

  @ApiProperty({ type: 'integer', description: 'onHand - reserved - quarantined', example: 7 })
  available: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Below this many available units a low-stock alert is raised; null when unset',
    example: 5,
  })
  lowStockThreshold: number | null;
}

export class StockTotalsDto {
  @ApiProperty({ type: 'integer', example: 12 })
  onHand: number;

  @ApiProperty({ type: 'integer', example: 4 })
  reserved: number;

  @ApiProperty({ type: 'integer', example: 1 })
  quarantined: number;

  @ApiProperty({ type: 'integer', example: 7 })
  available: number;
}

export class StockDto {
  @ApiProperty({ example: 'TEA-OOLONG-250' })
  sku: string;

  @ApiProperty({ type: [WarehouseStockDto], description: 'By warehouse priority, then code' })
  warehouses: WarehouseStockDto[];

  @ApiProperty({ type: StockTotalsDto })
  totals: StockTotalsDto;

  static from(sku: string, levels: StockLevelView[]): StockDto {
    const warehouses = levels.map((level) => ({
      warehouse: level.warehouse,
      onHand: level.onHand,
      reserved: level.reserved,
      quarantined: level.quarantined,
      available: availableOf(level),
      lowStockThreshold: level.lowStockThreshold,
    }));
    const totals = warehouses.reduce(
      (sum, level) => ({
        onHand: sum.onHand + level.onHand,
        reserved: sum.reserved + level.reserved,
        quarantined: sum.quarantined + level.quarantined,
        available: sum.available + level.available,
      }),
      { onHand: 0, reserved: 0, quarantined: 0, available: 0 },
    );
    return { sku, warehouses, totals };
  }
}

export class SkuWarehouseParams {
  @ApiProperty({ pattern: IDENTIFIER_PATTERN_SOURCE, example: 'TEA-OOLONG-250' })
  @IsIdentifier()
  sku: string;

  @ApiProperty({ pattern: IDENTIFIER_PATTERN_SOURCE, example: 'WH-NORTH' })
  @IsIdentifier()
  warehouse: string;
}

export class PutLowStockThresholdDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_THRESHOLD,
    description: 'Alert when available stock (on hand - reserved - quarantined) falls below this; 0 never alerts',
    example: 5,
  })
  @IsInt()
  @Min(0)
  @Max(MAX_THRESHOLD, outOfRange())
  threshold: number;
}

export class LowStockThresholdDto {
  @ApiProperty({ example: 'TEA-OOLONG-250' })
  sku: string;

  @ApiProperty({ example: 'WH-NORTH' })
  warehouse: string;

  @ApiProperty({ type: 'integer', example: 5 })
  threshold: number;

  @ApiProperty({ type: 'integer', example: 12 })
  onHand: number;

  @ApiProperty({ type: 'integer', example: 9 })
  reserved: number;

  @ApiProperty({ type: 'integer', example: 0 })
  quarantined: number;

  @ApiProperty({ type: 'integer', description: 'onHand - reserved - quarantined', example: 3 })
  available: number;

  @ApiProperty({ description: 'Whether setting it raised a low-stock alert (available already below it, and not below the previous threshold)' })
  alerted: boolean;

  static from(setting: ThresholdSetting): LowStockThresholdDto {
    return { ...setting };
  }
}

export class LedgerQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor must be a nextCursor this API returned' })
  cursor?: string;
}

export class LedgerEntryDto {
  @ApiProperty({ description: 'Ledger position (opaque, increasing)', example: '1042' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'WH-NORTH' })
  warehouse: string;

  @ApiProperty({ example: 'TEA-OOLONG-250' })
  sku: string;

  @ApiProperty({ enum: MOVEMENT_KINDS, example: 'reserve' })
  kind: MovementKind;

  @ApiProperty({ type: 'integer', example: 0 })
  onHandDelta: number;

  @ApiProperty({ type: 'integer', example: 2 })
  reservedDelta: number;

  @ApiProperty({ type: 'integer', example: 12 })
  onHandAfter: number;

  @ApiProperty({ type: 'integer', example: 6 })
  reservedAfter: number;

  @ApiProperty({ type: 'integer', example: 0 })
  quarantinedDelta: number;

  @ApiProperty({ type: 'integer', example: 0 })
  quarantinedAfter: number;

  @ApiProperty({ type: 'integer', description: 'Units written off (return_written_off: scrapped returns, no level changes); 0 otherwise', example: 0 })
  writtenOff: number;

  @ApiProperty({ type: String, nullable: true })
  orderId: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What caused it: the receipt id, the reservation id, the outbound note id, release:<order id>, the return id',
  })
  reference: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why, when the document does not say (a release reason)' })
  reason: string | null;

  static from(entry: StockMovement): LedgerEntryDto {
    return {
      id: entry.id,
      at: entry.at.toISOString(),
      warehouse: entry.warehouse,
      sku: entry.sku,
      kind: entry.kind,
      onHandDelta: entry.onHandDelta,
      reservedDelta: entry.reservedDelta,
      onHandAfter: entry.onHandAfter,
      reservedAfter: entry.reservedAfter,
      quarantinedDelta: entry.quarantinedDelta,
      quarantinedAfter: entry.quarantinedAfter,
      writtenOff: entry.writtenOff,
      orderId: entry.orderId,
      reference: entry.reference,
      reason: entry.reason,
    };
  }
}

export class LedgerPageDto {
  @ApiProperty({ type: [LedgerEntryDto] })
  items: LedgerEntryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;

  static from(page: LedgerPage): LedgerPageDto {
    return { items: page.items.map((entry) => LedgerEntryDto.from(entry)), nextCursor: page.nextCursor };
  }
}
