import { randomBytes, randomUUID } from 'node:crypto';
import { WebhookSubscriptionCreatedV1, type MessageEnvelope } from '@skald/contracts';
import { deadLetterQueueName } from '@skald/messaging';
import { asPlatform, asStaff, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@skald/testing';
import amqplib, { type Channel, type ChannelModel } from 'amqplib';
import type { NotificationsConfig } from '../config/notifications-config.js';
import { service } from '../service.js';

/**
 * The internal dead-letter routes every service has, here on notifications: the one service that
 * still takes an event with a plain-text secret (webhook-subscription.created v1).
 */
describe('dead letters of notifications over its internal API (real PostgreSQL and RabbitMQ)', () => {
  let sut: ServiceUnderTest<NotificationsConfig>;
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    sut = await startServiceUnderTest(service, { WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') });
    connection = await amqplib.connect(sut.rabbitmqUrl);
    channel = await connection.createChannel();
  });

  afterAll(async () => {
    await connection?.close();
    await sut?.close();
  });

  /** A v1 subscription with a plain-text secret and a URL no validator takes: dead-lettered at once (INVALID_PAYLOAD). */
  async function aDeadSubscriptionEvent(): Promise<MessageEnvelope> {
    const envelope: MessageEnvelope = {
      id: randomUUID(),
      type: WebhookSubscriptionCreatedV1.type,
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      tenantId: 'shop-a',
      payload: { subscriptionId: randomUUID(), tenantId: 'shop-a', url: 'not a url', events: ['shipped'], secret: 'whsec_DO_NOT_SHOW' },
    };
    channel.publish(WebhookSubscriptionCreatedV1.exchange, WebhookSubscriptionCreatedV1.routingKey, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      messageId: envelope.id,
      correlationId: envelope.correlationId,
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    await waitFor('dead letter recorded', async () => (await sut.dataSource.query(`SELECT 1 FROM dead_letter WHERE message_id = $1`, [envelope.id])).length === 1);
    await waitFor('dead letter queued', async () => (await channel.checkQueue(deadLetterQueueName('notifications'))).messageCount >= 1);
    return envelope;
  }

  const ops = asStaff(['ops'], 'ops-key-1');

  it('lists and shows a dead letter with its headers and body, the plain-text secret redacted', async () => {
    const envelope = await aDeadSubscriptionEvent();

    const list = await sut.http().get(`/internal/dead-letters?correlationId=${envelope.correlationId}&limit=5`).set(ops);
    const shown = await sut.http().get(`/internal/dead-letters/${envelope.id}`).set(asStaff(['admin']));

    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      service: 'notifications',
      depth: expect.any(Number),
      deadLetters: [
        expect.objectContaining({
          messageId: envelope.id,
          routingKey: WebhookSubscriptionCreatedV1.routingKey,
          reason: 'INVALID_PAYLOAD',
          correlationId: envelope.correlationId,
          tenantId: 'shop-a',
          traceId: '0af7651916cd43dd8448eb211c80319c',
          status: 'dead',
          inQueue: true,
        }),
      ],
    });
    expect(list.body.depth).toBeGreaterThanOrEqual(1);
    expect(shown.status).toBe(200);
    expect(shown.body.body.payload).toMatchObject({ url: 'not a url', secret: '[redacted]' });
    expect(shown.body.headers).toMatchObject({ 'x-skald-dead-letter-reason': 'INVALID_PAYLOAD' });
    expect(JSON.stringify(shown.body)).not.toContain('whsec_DO_NOT_SHOW');
  });

  it('replays and discards with the caller recorded; 404 and 409 as problem+json; discard needs a reason', async () => {
    const replayed = await aDeadSubscriptionEvent();
    const discarded = await aDeadSubscriptionEvent();

    const replay = await sut.http().post(`/internal/dead-letters/${replayed.id}/replay`).set(ops);
    expect([replay.status, replay.body]).toEqual([200, { service: 'notifications', replayed: [replayed.id] }]);
    // Invalid still: dead again, and the record tells both stories.
    await waitFor('dead again', async () => (await sut.http().get(`/internal/dead-letters/${replayed.id}`).set(ops)).body.status === 'dead');
    const again = (await sut.http().get(`/internal/dead-letters/${replayed.id}`).set(ops)).body;
    expect(again.actions).toEqual([{ action: 'replayed', by: 'ops-key-1', at: expect.any(String) }]);

    const noReason = await sut.http().post(`/internal/dead-letters/${discarded.id}/discard`).set(ops).send({});
    const blank = await sut.http().post(`/internal/dead-letters/${discarded.id}/discard`).set(ops).send({ reason: '   ' });
    const tooLong = await sut.http().post(`/internal/dead-letters/${discarded.id}/discard`).set(ops).send({ reason: 'x'.repeat(501) });
    expect([noReason.status, blank.status, tooLong.status]).toEqual([400, 400, 400]);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');
    const discard = await sut.http().post(`/internal/dead-letters/${discarded.id}/discard`).set(ops).send({ reason: 'test subscription, never valid' });
    expect(discard.status).toBe(200);
    expect(discard.body).toMatchObject({ status: 'discarded', inQueue: false, actions: [{ action: 'discarded', by: 'ops-key-1', reason: 'test subscription, never valid' }] });
    const twice = await sut.http().post(`/internal/dead-letters/${discarded.id}/discard`).set(ops).send({ reason: 'again' });
    expect([twice.status, twice.body.code]).toEqual([409, 'DEAD_LETTER_NOT_IN_QUEUE']);

    const unknown = await sut.http().get(`/internal/dead-letters/${randomUUID()}`).set(ops);
    const unknownReplay = await sut.http().post(`/internal/dead-letters/${randomUUID()}/replay`).set(ops);
    expect([unknown.status, unknown.body.code, unknownReplay.status, unknownReplay.body.code]).toEqual([404, 'DEAD_LETTER_NOT_FOUND', 404, 'DEAD_LETTER_NOT_FOUND']);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    const badId = await sut.http().get('/internal/dead-letters/not%20an%20id').set(ops);
    expect([badId.status, badId.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('answers only the gateway (internal token) and staff with role ops or admin', async () => {
    const noToken = await sut.http().get('/internal/dead-letters').unset('x-skald-internal-token').set(ops);
    const platform = await sut.http().get('/internal/dead-letters').set(asPlatform('shop-a'));
    const reviewer = await sut.http().post('/internal/dead-letters/replay').set(asStaff(['reviewer'])).send({ correlationId: randomUUID() });
    const noCaller = await sut.http().get('/internal/dead-letters');
    expect([noToken.status, platform.status, reviewer.status, noCaller.status]).toEqual([401, 403, 403, 401]);
    const none = await sut.http().post('/internal/dead-letters/replay').set(ops).send({ correlationId: randomUUID() });
    expect([none.status, none.body]).toEqual([200, { service: 'notifications', replayed: [] }]);
    const invalid = await sut.http().post('/internal/dead-letters/replay').set(ops).send({ correlationId: '', extra: 1 });
    expect(invalid.status).toBe(400);
  });
});
