import { OrderStatusChangedV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { aStatusChange } from '../../test/factories.js';
import { deliveriesOfOrder, startNotifications, type NotificationsHarness } from '../../test/notifications-harness.js';
import { DELIVERY_NOTIFY_CHANNEL } from './deliveries.repository.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';

describe('the delivery dispatcher is woken only for deliveries it can send (real PostgreSQL and RabbitMQ)', () => {
  let h: NotificationsHarness;

  beforeAll(async () => {
    // No SMTP, no SMS: only webhooks can be sent. The safety poll is out of the picture (an hour).
    h = await startNotifications({ channels: false, env: { DELIVERY_POLL_INTERVAL_MS: '3600000' } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('an order status planning only an e-mail and an SMS (channels it lacks) does not wake it; a wake-up naming webhooks does', async () => {
    const dispatcher = h.service.app.get(DeliveryDispatcher);
    const trigger = jest.spyOn(dispatcher, 'trigger');
    try {
      const change = aStatusChange({ status: 'shipped' });
      h.probe.publish(OrderStatusChangedV1, change, { tenantId: `tenant-${change.orderId}` });
      const planned = await waitFor('the e-mail and SMS planned', async () => {
        const rows = await deliveriesOfOrder(h, change.orderId);
        return rows.length === 2 ? rows : undefined;
      });
      expect(planned.map((row) => [row.channel, row.status])).toEqual([
        ['email', 'pending'],
        ['sms', 'pending'],
      ]);

      // Notifications reach the listener in commit order: once this one has woken the dispatcher,
      // the planning's (committed before) has been heard as well.
      await h.service.dataSource.query(`SELECT pg_notify($1, 'webhook')`, [DELIVERY_NOTIFY_CHANNEL]);
      await waitFor('the webhook wake-up heard', () => trigger.mock.calls.length > 0);

      expect(trigger).toHaveBeenCalledTimes(1);
    } finally {
      trigger.mockRestore();
    }
  });
});
