import type { Socket } from 'node:net';
import type { ChannelWrapper } from 'amqp-connection-manager';
import amqplib, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { createTestVhost, type TestVhost } from '../testing/test-vhost.js';
import { waitFor } from '../testing/wait-for.js';
import { AmqpConnection } from './amqp-connection.js';
import { socketOf } from './one-write-per-turn.js';

describe('broker connection (real RabbitMQ)', () => {
  let vhost: TestVhost;
  let connection: AmqpConnection;
  let raw: ChannelModel;

  beforeAll(async () => {
    vhost = await createTestVhost('connection');
    // A heartbeat is a write of its own: none comes during the test.
    connection = new AmqpConnection({ url: vhost.url, name: 'connection-spec', service: 'connection-spec', heartbeatSeconds: 60 });
    await connection.waitForConnect(10_000);
    raw = await amqplib.connect(vhost.url);
  });

  afterAll(async () => {
    await raw?.close();
    await connection?.close();
    await vhost?.remove();
  });

  /** Counts the writes the socket hands to the operating system (each `_write` or `_writev` is one), passing them on. */
  function countWrites(socket: Socket): { readonly count: number; stop(): void } {
    const target = socket as unknown as { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void };
    const write = target._write;
    const writev = target._writev;
    let count = 0;
    target._write = function (this: unknown, ...args: unknown[]) {
      count += 1;
      return write.apply(this, args);
    };
    if (writev) {
      target._writev = function (this: unknown, ...args: unknown[]) {
        count += 1;
        return writev.apply(this, args);
      };
    }
    return {
      get count() {
        return count;
      },
      stop() {
        target._write = write;
        if (writev) target._writev = writev;
      },
    };
  }

  it('sends the frames of one turn in one socket write, all of them, in order', async () => {
    const queue = `connection-spec-${Date.now()}`;
    const channel: ChannelWrapper = connection.createChannel({
      name: 'spec-publisher',
      confirm: true,
      setup: (ch: ConfirmChannel) => ch.assertQueue(queue, { durable: false, autoDelete: false }),
    });
    await channel.waitForConnect();
    const socket = socketOf(connection.manager.connection);
    // amqplib keeps its socket at connection.stream; a release that moves it fails here.
    expect(socket).toBeDefined();

    const writes = countWrites(socket as Socket);
    const published = Array.from({ length: 20 }, (_, i) => channel.publish('', queue, Buffer.from(String(i)), { persistent: true }));
    // Confirmed: every publish has left (receiving the confirms writes nothing).
    await Promise.all(published);
    const writesForPublishes = writes.count;
    writes.stop();

    expect(writesForPublishes).toBe(1);
    const rawChannel = await raw.createChannel();
    const received: string[] = [];
    await waitFor('all 20 messages in the queue', async () => {
      const message = await rawChannel.get(queue, { noAck: true });
      if (message) received.push(message.content.toString());
      return received.length === 20 ? true : undefined;
    });
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    await rawChannel.deleteQueue(queue);
    await rawChannel.close();
    await channel.close();
  });
});
