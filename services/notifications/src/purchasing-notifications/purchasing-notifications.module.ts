import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { purchasingRecipientsOf, type NotificationsConfig } from '../config/notifications-config.js';
import type { WarehouseRecipients } from '../config/warehouse-recipients.js';
import { DeliveriesModule } from '../deliveries/deliveries.module.js';
import { LowStockHandler } from './low-stock.handler.js';
import { PurchasingNotificationsService } from './purchasing-notifications.service.js';
import { PURCHASING_RECIPIENTS } from './purchasing-recipients.js';

/** Purchasing told about low stock (replenishment alerts from inventory). */
@Module({
  imports: [DeliveriesModule],
  controllers: [LowStockHandler],
  providers: [
    PurchasingNotificationsService,
    { provide: PURCHASING_RECIPIENTS, inject: [SERVICE_CONFIG], useFactory: (config: NotificationsConfig) => purchasingRecipientsOf(config) },
  ],
})
export class PurchasingNotificationsModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(PurchasingNotificationsModule.name);
  private told = false;

  constructor(@Inject(PURCHASING_RECIPIENTS) private readonly recipients: WarehouseRecipients) {}

  // Runs for the HTTP application and again for the message transport: say it once.
  onApplicationBootstrap(): void {
    if (this.told) return;
    this.told = true;
    if (this.recipients.isEmpty) this.logger.warn('NOTIFY_PURCHASING_RECIPIENTS is not set: nobody is told about low stock');
  }
}
