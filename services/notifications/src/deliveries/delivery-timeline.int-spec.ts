import { randomUUID } from 'node:crypto';
import { OrderStatusChangedV1, type ServiceTimeline } from '@skald/contracts';
import { callerHeaders } from '@skald/service-kit';
import { waitFor } from '@skald/testing';
import { aStatusChange } from '../../test/factories.js';
import { settledDeliveries, startNotifications, type NotificationsHarness } from '../../test/notifications-harness.js';

const ops = callerHeaders({ kind: 'staff', principalId: 'key-ops', tenantId: null, roles: ['ops'] });

describe("notifications' part of a saga timeline (real PostgreSQL, RabbitMQ, SMTP and SMS provider)", () => {
  let h: NotificationsHarness;

  beforeAll(async () => {
    h = await startNotifications();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lists the handled message with its handler and the e-mail and SMS it caused, under the saga’s correlation id', async () => {
    const correlationId = randomUUID();
    const change = aStatusChange({ status: 'shipped', customer: { id: 'c-9', name: 'Ada', email: `ada-${Date.now()}@example.com`, phone: '+49 170 5550009' } });
    const envelope = h.probe.publish(OrderStatusChangedV1, change, { correlationId });
    await settledDeliveries(h, change.orderId, 2);

    const timeline: ServiceTimeline = await waitFor('the sent deliveries in the timeline', async () => {
      const res = await h.service.http().get(`/internal/timeline/${correlationId}`).set(ops);
      const body = res.body as ServiceTimeline;
      return res.status === 200 && body.entries.filter((entry) => entry.kind === 'notification' && entry.summary.endsWith(': sent')).length === 2 ? body : undefined;
    });

    expect(timeline).toMatchObject({ service: 'notifications', correlationId, sagas: [] });
    expect(timeline.entries[0]).toMatchObject({
      kind: 'message.handled',
      messageId: envelope.id,
      routingKey: OrderStatusChangedV1.routingKey,
      handler: 'OrderStatusNotificationsHandler.onStatusChanged',
      attempts: 1,
    });
    expect(timeline.entries[0].durationMs).toEqual(expect.any(Number));
    const notices = timeline.entries.filter((entry) => entry.kind === 'notification');
    expect(notices.map((entry) => entry.summary)).toEqual([
      `e-mail "Your order ${change.externalId} has shipped" to a…@example.com: sent`,
      'SMS to …009: sent',
    ]);
    // Personal data stays out of an on-call screen.
    expect(JSON.stringify(timeline)).not.toContain(change.customer.email);
  });

  it('is an internal route for ops: refused without the internal token or without the role, 400 for a malformed id', async () => {
    const id = randomUUID();
    const [noToken, reviewer, malformed, unknown] = await Promise.all([
      h.service.http().get(`/internal/timeline/${id}`).set(ops).unset('x-skald-internal-token'),
      h.service.http().get(`/internal/timeline/${id}`).set(callerHeaders({ kind: 'staff', principalId: 'key-r', tenantId: null, roles: ['reviewer'] })),
      h.service.http().get(`/internal/timeline/${encodeURIComponent('bad id!')}`).set(ops),
      h.service.http().get(`/internal/timeline/${id}`).set(ops),
    ]);
    expect([noToken.status, reviewer.status, malformed.status, unknown.status]).toEqual([401, 403, 400, 200]);
    expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'correlationId' }] });
    expect(unknown.body).toEqual({ service: 'notifications', correlationId: id, entries: [], sagas: [] });
  });
});
