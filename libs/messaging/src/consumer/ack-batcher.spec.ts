import type { Channel, ConsumeMessage } from 'amqplib';
import { AckBatcher } from './ack-batcher.js';

/** Records what would go to the broker; the batching rule is pure logic over delivery tags. */
function recordingChannel() {
  const sent: string[] = [];
  const channel = {
    ack: (message: ConsumeMessage, allUpTo?: boolean) => sent.push(`ack ${message.fields.deliveryTag}${allUpTo ? ' multiple' : ''}`),
    nack: (message: ConsumeMessage) => sent.push(`nack ${message.fields.deliveryTag}`),
  } as unknown as Channel;
  return { channel, sent };
}

const delivery = (tag: number) => ({ fields: { deliveryTag: tag } }) as ConsumeMessage;

describe('batched acks', () => {
  it('acks a run of settled tags with one multiple ack, and never covers a tag still in flight', () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckBatcher(channel);
    const messages = [1, 2, 3, 4, 5].map(delivery);
    messages.forEach((m) => acks.delivered(m));
    for (const tag of [1, 2, 4, 5]) acks.ack(messages[tag - 1]);
    acks.flush();
    expect(sent).toEqual(['ack 2 multiple', 'ack 4', 'ack 5']);

    acks.ack(messages[2]);
    acks.flush();
    expect(sent.slice(3)).toEqual(['ack 3']);
  });

  it('sends a lone ack without multiple, nacks at once, and has nothing to do when nothing is due', () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckBatcher(channel);
    const [first, second] = [delivery(7), delivery(8)];
    acks.delivered(first);
    acks.delivered(second);
    acks.nack(first);
    expect(sent).toEqual(['nack 7']);
    acks.flush();
    acks.ack(second);
    acks.flush();
    expect(sent).toEqual(['nack 7', 'ack 8']);
  });
});
