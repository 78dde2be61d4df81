import { LowStockAlertV1, OutboundNotesCancelledV1, OutboundNotesCreatedV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { aLowStockAlert, anOutboundNotesCancelled, anOutboundNotesCreated } from '../../test/factories.js';
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

  it('tells each warehouse to stop a cancelled note, and to put picked goods back; notes cancelled before are not told again', async () => {
    const cancelled = anOutboundNotesCancelled(
      [
        { noteId: `ON-${Date.now()}-1`, warehouse: 'WH-NORTH', previousStatus: 'packed', restocked: true, lines: [{ sku: 'SKU-A', quantity: 3 }] },
        { noteId: `ON-${Date.now()}-2`, warehouse: 'WH-SOUTH', previousStatus: 'created', restocked: false, lines: [{ sku: 'SKU-B', quantity: 1 }] },
        { noteId: `ON-${Date.now()}-3`, warehouse: 'WH-EAST', previousStatus: 'cancelled', restocked: true, lines: [{ sku: 'SKU-C', quantity: 2 }] },
      ],
      { reason: 'customer cancelled <by phone>', shipped: [{ noteId: 'ON-shipped', warehouse: 'WH-WEST' }] },
    );
    const [packed, created, before] = cancelled.cancelled;

    h.probe.publish(OutboundNotesCancelledV1, cancelled, { tenantId: 'tenant-1' });

    const rows = await settledDeliveries(h, cancelled.orderId, 3);
    expect(rows.map((row) => [row.channel, row.target, row.topic, row.status])).toEqual([
      ['email', 'dispatch@wh.example', created.noteId, 'sent'],
      ['email', 'lead@wh.example', packed.noteId, 'sent'],
      ['email', 'north@wh.example', packed.noteId, 'sent'],
    ]);

    const [stop] = h.smtp!.mailsTo('north@wh.example').filter((mail) => mail.subject.includes(packed.noteId));
    expect(stop.subject).toBe(`[WH-NORTH] STOP: outbound note ${packed.noteId} cancelled, put the picked goods back`);
    expect(stop.text).toContain(`Stop: outbound note ${packed.noteId} of order ${cancelled.orderId} in warehouse WH-NORTH was cancelled.`);
    expect(stop.text).toContain('Reason: customer cancelled <by phone>');
    expect(stop.text).toContain('put them back to their locations');
    expect(stop.text).toContain('- 3 × SKU-A');
    expect(stop.html).toContain('Reason: customer cancelled &lt;by phone&gt;');

    const [plain] = h.smtp!.mailsTo('dispatch@wh.example').filter((mail) => mail.subject.includes(created.noteId));
    expect(plain.subject).toBe(`[WH-SOUTH] STOP: outbound note ${created.noteId} cancelled`);
    expect(plain.text).toContain('Nothing of it was picked yet.');
    expect(plain.text).not.toContain('put them back');
    expect(h.smtp!.messages.filter((mail) => mail.subject.includes(before.noteId) || mail.subject.includes('ON-shipped'))).toEqual([]);
  });

  it('sends nobody a low-stock e-mail when NOTIFY_PURCHASING_RECIPIENTS is not set', async () => {
    const envelope = h.probe.publish(LowStockAlertV1, aLowStockAlert({ warehouse: 'WH-NORTH' }), { tenantId: null });
    await waitFor('the alert handled', async () => {
      const rows: unknown[] = await h.service.dataSource.query(`SELECT 1 FROM inbox_message WHERE message_id = $1`, [envelope.id]);
      return rows.length === 1;
    });
    expect(await h.service.dataSource.query(`SELECT id FROM delivery WHERE source_message_id = $1`, [envelope.id])).toEqual([]);
  });
});
