import { LowStockAlertV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { aLowStockAlert } from '../../test/factories.js';
import { startNotifications, type DeliveryRow, type NotificationsHarness } from '../../test/notifications-harness.js';

describe('low-stock notifications to purchasing (real PostgreSQL, RabbitMQ and SMTP)', () => {
  let h: NotificationsHarness;

  beforeAll(async () => {
    h = await startNotifications({
      env: {
        NOTIFY_PURCHASING_RECIPIENTS: 'WH-NORTH=buyer@purchasing.example, lead@purchasing.example;*=purchasing@purchasing.example',
        NOTIFY_WAREHOUSE_RECIPIENTS: '*=dispatch@wh.example',
      },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  function deliveriesOf(messageId: string, count: number): Promise<DeliveryRow[]> {
    return waitFor(`${count} settled deliveries of ${messageId}`, async () => {
      const rows: DeliveryRow[] = await h.service.dataSource.query(`SELECT * FROM delivery WHERE source_message_id = $1 ORDER BY target`, [messageId]);
      return rows.length === count && rows.every((row) => row.status === 'sent') ? rows : undefined;
    });
  }

  it("e-mails the warehouse's purchasing recipients once per alert, and alerts of other warehouses to the catch-all", async () => {
    const alert = aLowStockAlert({ warehouse: 'WH-NORTH', available: 2, onHand: 9, reserved: 7, threshold: 5 });

    const envelope = h.probe.publish(LowStockAlertV1, alert, { tenantId: null });

    const rows = await deliveriesOf(envelope.id, 2);
    expect(rows.map((row) => [row.channel, row.target, row.topic, row.order_id])).toEqual([
      ['email', 'buyer@purchasing.example', '', null],
      ['email', 'lead@purchasing.example', '', null],
    ]);
    const mails = h.smtp!.messages.filter((mail) => mail.subject.includes(alert.sku));
    expect(mails.map((mail) => mail.to).sort()).toEqual([['buyer@purchasing.example'], ['lead@purchasing.example']]);
    expect(mails[0].subject).toBe(`[WH-NORTH] Low stock: ${alert.sku} (2 available, threshold 5)`);
    expect(mails[0].text).toContain('- Available: 2\n- On hand: 9\n- Reserved for orders: 7\n- Threshold: 5');
    // Purchasing's business, not the warehouse's.
    expect(h.smtp!.mailsTo('dispatch@wh.example').filter((mail) => mail.subject.includes(alert.sku))).toEqual([]);

    const elsewhere = aLowStockAlert({ warehouse: 'WH-SOUTH' });
    const other = h.probe.publish(LowStockAlertV1, elsewhere, { tenantId: null });
    expect((await deliveriesOf(other.id, 1)).map((row) => row.target)).toEqual(['purchasing@purchasing.example']);
    expect((await h.smtp!.waitForMail((mail) => mail.subject.includes(elsewhere.sku))).subject).toMatch(/^\[WH-SOUTH\] Low stock: /);
  });

  it('does not e-mail twice when the alert gets past the inbox again', async () => {
    const alert = aLowStockAlert({ warehouse: 'WH-EAST' });
    const envelope = h.probe.publish(LowStockAlertV1, alert, { tenantId: null });
    await deliveriesOf(envelope.id, 1);

    await h.service.dataSource.query(`DELETE FROM inbox_message WHERE message_id = $1`, [envelope.id]);
    h.probe.publish(LowStockAlertV1, alert, { tenantId: null, id: envelope.id });
    await waitFor('the redelivery handled', async () => {
      const rows: unknown[] = await h.service.dataSource.query(`SELECT 1 FROM inbox_message WHERE message_id = $1`, [envelope.id]);
      return rows.length === 1;
    });

    await deliveriesOf(envelope.id, 1);
    expect(h.smtp!.messages.filter((mail) => mail.subject.includes(alert.sku))).toHaveLength(1);
  });
});
