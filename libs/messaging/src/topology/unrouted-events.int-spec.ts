import { randomUUID } from 'node:crypto';
import { EVENTS_EXCHANGE } from '@skald/contracts';
import type { GetMessage } from 'amqplib';
import { MessagingHarness } from '../../test/harness.js';
import { waitFor } from '../testing/wait-for.js';
import { UNROUTED_EVENTS_QUEUE } from './names.js';

describe('topology: nothing published is dropped by the broker (real RabbitMQ)', () => {
  let world: MessagingHarness;

  beforeEach(async () => {
    world = await new MessagingHarness('topology').setUp();
  });

  afterEach(async () => {
    await world.tearDown();
  });

  it('keeps an event no queue is bound to in skald.events.unrouted, and only such events', async () => {
    const consumer = world.consumer();
    const reachedTheConsumer = new Promise((resolve) => consumer.once('dead-lettered', resolve));
    consumer.start();
    await consumer.waitUntilConsuming();

    const unrouted = `t${randomUUID().slice(0, 8)}.nobody.listens.v1`;
    const lost = randomUUID();
    world.rawChannel.publish(EVENTS_EXCHANGE, unrouted, Buffer.from(JSON.stringify({ id: lost })), { persistent: true, messageId: lost });
    const routed = randomUUID();
    world.rawChannel.publish(EVENTS_EXCHANGE, world.event.routingKey, Buffer.from('{}'), { persistent: true, messageId: routed });

    const kept = await waitFor('the unrouted event in its queue', async () => world.rawChannel.get(UNROUTED_EVENTS_QUEUE, { noAck: true }));
    const message = kept as GetMessage;
    expect(message.properties.messageId).toBe(lost);
    expect(message.fields).toMatchObject({ exchange: EVENTS_EXCHANGE, routingKey: unrouted });
    expect(JSON.parse(message.content.toString())).toEqual({ id: lost });
    // The routed one (not an envelope) went to the consumer's queue, not to the unrouted ones.
    expect(await reachedTheConsumer).toMatchObject({ messageId: routed, reason: 'INVALID_ENVELOPE' });
    expect((await world.rawChannel.checkQueue(UNROUTED_EVENTS_QUEUE)).messageCount).toBe(0);
  });
});
