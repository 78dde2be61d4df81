import { Module, type DynamicModule } from '@nestjs/common';
import { IdempotentRequestsModule, SkaldServiceModule } from '@skald/service-kit';
import { CatalogItem } from './catalog/catalog-item.entity.js';
import { CatalogModule } from './catalog/catalog.module.js';
import type { InventoryConfig } from './config/inventory-config.js';
import { ReceiptsModule } from './receipts/receipts.module.js';
import { StockReceipt, StockReceiptLine } from './receipts/stock-receipt.entity.js';
import { BackorderLine, ReleasedOrder } from './reservations/backorder-line.entity.js';
import { Reservation, ReservationRequest } from './reservations/reservation.entity.js';
import { ReservationsModule } from './reservations/reservations.module.js';
import { ReturnedStockBooking } from './returned-stock/returned-stock-booking.entity.js';
import { ReturnedStockModule } from './returned-stock/returned-stock.module.js';
import { ShipmentsModule } from './shipments/shipments.module.js';
import { StockShipment } from './shipments/stock-shipment.entity.js';
import { LowStockThreshold } from './stock/low-stock-threshold.entity.js';
import { StockLevel } from './stock/stock-level.entity.js';
import { StockMovement } from './stock/stock-movement.entity.js';
import { StockModule } from './stock/stock.module.js';
import { Warehouse } from './warehouses/warehouse.entity.js';
import { WarehousesModule } from './warehouses/warehouses.module.js';

const entities = [
  CatalogItem,
  Warehouse,
  StockLevel,
  StockMovement,
  StockReceipt,
  StockReceiptLine,
  ReservationRequest,
  Reservation,
  BackorderLine,
  ReleasedOrder,
  StockShipment,
  LowStockThreshold,
  ReturnedStockBooking,
];

/** Status of each stable error code the inventory API answers with (others default to 422). */
const errorStatuses = {
  SKU_UNKNOWN: 422,
  INVALID_CURSOR: 400,
  WAREHOUSE_UNKNOWN: 404,
};

@Module({})
export class AppModule {
  static register(config: InventoryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SkaldServiceModule.forRoot({ service: 'inventory', config, entities, errorStatuses }),
        IdempotentRequestsModule,
        CatalogModule,
        WarehousesModule,
        StockModule,
        ReceiptsModule,
        ReservationsModule,
        ShipmentsModule,
        ReturnedStockModule,
      ],
    };
  }
}
