import { Module, type DynamicModule } from '@nestjs/common';
import { IdempotentRequestsModule, SkaldServiceModule, type BaseServiceConfig } from '@skald/service-kit';
import { OutboundNotesModule, outboundNoteEntities, outboundNoteErrorStatuses } from './outbound-notes/outbound-notes.module.js';
import { ReturnReceiptsModule, returnReceiptEntities } from './return-receipts/return-receipts.module.js';
import { ShipmentsModule, shipmentEntities, shipmentErrorStatuses } from './shipments/shipments.module.js';

@Module({})
export class AppModule {
  static register(config: BaseServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SkaldServiceModule.forRoot({
          service: 'warehouse',
          config,
          entities: [...outboundNoteEntities, ...shipmentEntities, ...returnReceiptEntities],
          errorStatuses: { ...outboundNoteErrorStatuses, ...shipmentErrorStatuses },
        }),
        IdempotentRequestsModule,
        OutboundNotesModule,
        ShipmentsModule,
        ReturnReceiptsModule,
      ],
    };
  }
}
