import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LowStockAlert, MessageEnvelope } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import type { WarehouseRecipients } from '../config/warehouse-recipients.js';
import { DeliveryPlanner, type PlannedDelivery } from '../deliveries/delivery-planner.service.js';
import { lowStockEmail } from '../templates/low-stock-email.js';
import { PURCHASING_RECIPIENTS } from './purchasing-recipients.js';

/** Tells purchasing about replenishment alerts (库存预警). */
@Injectable()
export class PurchasingNotificationsService {
  private readonly logger = new Logger(PurchasingNotificationsService.name);

  constructor(
    private readonly planner: DeliveryPlanner,
    @Inject(PURCHASING_RECIPIENTS) private readonly recipients: WarehouseRecipients,
  ) {}

  /** Plans an e-mail to each purchasing recipient of the alert's warehouse (NOTIFY_PURCHASING_RECIPIENTS). */
  async planLowStock(manager: EntityManager, envelope: MessageEnvelope, alert: LowStockAlert): Promise<void> {
    // Unset altogether: said once at start, not on every alert.
    if (this.recipients.isEmpty) return;
    const addresses = this.recipients.for(alert.warehouse);
    if (addresses.length === 0) {
      this.logger.warn(`low stock of ${alert.sku} in ${alert.warehouse}: no recipient for the warehouse in NOTIFY_PURCHASING_RECIPIENTS`);
      return;
    }
    const payload = lowStockEmail(alert);
    const planned: PlannedDelivery[] = addresses.map((address) => ({ channel: 'email', target: address, payload }));
    const created = await this.planner.plan(manager, { messageId: envelope.id, tenantId: envelope.tenantId, orderId: null }, planned);
    this.logger.log(`low stock of ${alert.sku} in ${alert.warehouse} (${alert.available} < ${alert.threshold}): ${created} e-mail(s) planned`);
  }
}
