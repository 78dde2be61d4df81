import { OutboundNotesCreatedV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { anOutboundNotesCreated } from '../../test/factories.js';
import { deliveriesOfOrder, settledDeliveries, startNotifications, type NotificationsHarness } from '../../test/notifications-harness.js';

describe('outbound note notifications (real PostgreSQL, RabbitMQ and SMTP)', () => {
  let h: NotificationsHarness;

  beforeAll(async () => {
    h = await startNotifications({
      env: { NOTIFY_WAREHOUSE_RECIPIENTS: 'WH-NORTH=north@wh.example, lead@wh.example;*=dispatch@wh.example' },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it("e-mails each note to its warehouse's recipients, and notes of unlisted warehouses to the fallback", async () => {
    const created = anOutboundNotesCreated([
      { warehouse: 'WH-NORTH', lines: [{ sku: 'SKU-A', quantity: 3 }, { sku: 'SKU-B', quantity: 1 }] },
      { warehouse: 'WH-SOUTH' },
      { warehouse: 'WH-EAST' },
    ]);
    const [north, south, east] = created.notes;

    h.probe.publish(OutboundNotesCreatedV1, created, { tenantId: 'tenant-1' });

    const rows = await settledDeliveries(h, created.orderId, 4);
    expect(rows.map((row) => [row.channel, row.target, row.topic, row.status])).toEqual([
      ['email', 'dispatch@wh.example', south.noteId, 'sent'],
      ['email', 'dispatch@wh.example', east.noteId, 'sent'],
      ['email', 'lead@wh.example', north.noteId, 'sent'],
      ['email', 'north@wh.example', north.noteId, 'sent'],
    ]);
    const northMails = h.smtp!.messages.filter((mail) => mail.subject.includes(north.noteId));
    expect(northMails.map((mail) => mail.to).sort()).toEqual([['lead@wh.example'], ['north@wh.example']]);
    expect(northMails[0].subject).toBe(`[WH-NORTH] Outbound note ${north.noteId} for order ${created.externalId}`);
    expect(northMails[0].text).toContain('- 3 × SKU-A\n- 1 × SKU-B');
    const fallback = h.smtp!.mailsTo('dispatch@wh.example').filter((mail) => mail.subject.includes(created.externalId));
    expect(fallback.map((mail) => mail.subject).sort()).toEqual(
      [`[WH-EAST] Outbound note ${east.noteId} for order ${created.externalId}`, `[WH-SOUTH] Outbound note ${south.noteId} for order ${created.externalId}`].sort(),
    );
  });

  it('does not e-mail twice when the event is redelivered past the inbox', async () => {
    const created = anOutboundNotesCreated([{ warehouse: 'WH-NORTH' }]);
    const envelope = h.probe.publish(OutboundNotesCreatedV1, created, { tenantId: 'tenant-1' });
    await settledDeliveries(h, created.orderId, 2);

    await h.service.dataSource.query(`DELETE FROM inbox_message WHERE message_id = $1`, [envelope.id]);
    h.probe.publish(OutboundNotesCreatedV1, created, { tenantId: 'tenant-1', id: envelope.id });
    await waitFor('the redelivery handled', async () => {
      const rows: unknown[] = await h.service.dataSource.query(`SELECT 1 FROM inbox_message WHERE message_id = $1`, [envelope.id]);
      return rows.length === 1;
    });

    expect(await deliveriesOfOrder(h, created.orderId)).toHaveLength(2);
    expect(h.smtp!.messages.filter((mail) => mail.subject.includes(created.notes[0].noteId))).toHaveLength(2);
  });
});
