import { randomBytes, randomUUID } from 'node:crypto';
import { COMMANDS_EXCHANGE } from '@skald/contracts';
import amqplib, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { waitFor } from '../testing/wait-for.js';
import { createTestVhost, type TestVhost } from '../testing/test-vhost.js';
import { deadLetterQueueName, mainQueueName, UNROUTED_QUEUE } from './names.js';
import { assertServiceTopology } from './topology.js';

describe('broker topology (real RabbitMQ)', () => {
  let vhost: TestVhost;
  let connection: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    vhost = await createTestVhost('topology');
    connection = await amqplib.connect(vhost.url);
    channel = await connection.createChannel();
  });

  afterAll(async () => {
    await connection?.close();
    await vhost?.remove();
  });

  it('dead-letters a message the consumers keep failing to settle once the delivery limit is passed', async () => {
    const service = `test-limit-${randomBytes(4).toString('hex')}`;
    const deliveryLimit = 3;
    await assertServiceTopology(channel, { service, bindings: [], retryDelaysMs: [], deliveryLimit });

    const id = randomUUID();
    channel.sendToQueue(mainQueueName(service), Buffer.from('{}'), { messageId: id, persistent: true });

    // Each delivery is handed back unsettled, as a consumer that crashes mid-message leaves it.
    let deliveries = 0;
    const { consumerTag } = await channel.consume(mainQueueName(service), (message) => {
      if (!message) return;
      deliveries += 1;
      channel.nack(message, false, true);
    });
    const dead = await waitFor('the message in the dead-letter queue', () => channel.get(deadLetterQueueName(service), { noAck: true }));
    await channel.cancel(consumerTag);

    expect((dead as GetMessage).properties.messageId).toBe(id);
    expect(deliveries).toBe(deliveryLimit + 1); // the first delivery and `deliveryLimit` redeliveries
    await expect(channel.checkQueue(mainQueueName(service))).resolves.toMatchObject({ messageCount: 0 });
  });

  it('keeps a command that no queue is bound to in the unrouted queue (alternate exchange), never drops it', async () => {
    await assertServiceTopology(channel, { service: `test-ae-${randomBytes(4).toString('hex')}`, bindings: [], retryDelaysMs: [], deliveryLimit: 5 });
    const id = randomUUID();
    const routingKey = `nobody.listens-${randomBytes(4).toString('hex')}.v1`;
    channel.publish(COMMANDS_EXCHANGE, routingKey, Buffer.from('{}'), { messageId: id, persistent: true });

    // Other tests in this vhost may leave unrouted messages too: take ours, give theirs back.
    const ours = await waitFor('the command in the unrouted queue', async () => {
      const seen: GetMessage[] = [];
      let found: GetMessage | undefined;
      for (let message = await channel.get(UNROUTED_QUEUE); message; message = await channel.get(UNROUTED_QUEUE)) {
        if (message.properties.messageId === id) found = message;
        else seen.push(message);
        if (found) break;
      }
      for (const message of seen) channel.nack(message, false, true);
      if (found) channel.ack(found);
      return found;
    });
    expect(ours.fields.routingKey).toBe(routingKey);
    expect(ours.fields.exchange).toBe(COMMANDS_EXCHANGE);
  });
});
