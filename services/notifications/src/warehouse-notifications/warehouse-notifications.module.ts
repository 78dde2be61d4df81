import { Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { warehouseRecipientsOf, type NotificationsConfig } from '../config/notifications-config.js';
import { WarehouseRecipients } from '../config/warehouse-recipients.js';
import { DeliveriesModule } from '../deliveries/deliveries.module.js';
import { OutboundNotesHandler } from './outbound-notes.handler.js';
import { WarehouseNotificationsService } from './warehouse-notifications.service.js';

/** Warehouse staff told about new outbound notes and cancelled ones. */
@Module({
  imports: [DeliveriesModule],
  controllers: [OutboundNotesHandler],
  providers: [
    WarehouseNotificationsService,
    { provide: WarehouseRecipients, inject: [SERVICE_CONFIG], useFactory: (config: NotificationsConfig) => warehouseRecipientsOf(config) },
  ],
})
export class WarehouseNotificationsModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(WarehouseNotificationsModule.name);
  private warned = false;

  constructor(private readonly recipients: WarehouseRecipients) {}

  // Runs for the HTTP application and again for the message transport: say it once.
  onApplicationBootstrap(): void {
    if (this.warned) return;
    this.warned = true;
    if (this.recipients.isEmpty) this.logger.warn('NOTIFY_WAREHOUSE_RECIPIENTS is not set: nobody is told about outbound notes');
  }
}
