import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * Acks for one channel, batched: acks that become due in the same turn of the event loop go out
 * as one `basic.ack` with `multiple` for the longest run of consecutive delivery tags that are all
 * settled, and singly for the rest. A message is only ever acked after its own handler committed:
 * `multiple` never covers a tag still in flight. Nacks go out at once.
 */
export class AckBatcher {
  /** Delivered and not yet acked or nacked, by delivery tag. */
  private readonly outstanding = new Map<number, ConsumeMessage>();
  private readonly due = new Set<number>();
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  delivered(message: ConsumeMessage): void {
    this.outstanding.set(message.fields.deliveryTag, message);
  }

  ack(message: ConsumeMessage): void {
    this.due.add(message.fields.deliveryTag);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  nack(message: ConsumeMessage): void {
    this.outstanding.delete(message.fields.deliveryTag);
    this.due.delete(message.fields.deliveryTag);
    this.safely(() => this.channel.nack(message, false, true));
  }

  /** Sends every due ack now (also called before the channel closes on a graceful stop). */
  flush(): void {
    this.scheduled = false;
    if (this.due.size === 0) return;
    const tags = [...this.outstanding.keys()].sort((a, b) => a - b);
    // The longest prefix of outstanding tags that are all due: one ack with `multiple` covers it.
    let prefixEnd = -1;
    while (prefixEnd + 1 < tags.length && this.due.has(tags[prefixEnd + 1])) prefixEnd++;
    if (prefixEnd >= 0) {
      const last = this.outstanding.get(tags[prefixEnd]) as ConsumeMessage;
      this.safely(() => this.channel.ack(last, prefixEnd > 0));
      for (const tag of tags.slice(0, prefixEnd + 1)) {
        this.outstanding.delete(tag);
        this.due.delete(tag);
      }
    }
    // Due tags after a message still in flight: acked one by one, not held back behind it.
    for (const tag of [...this.due]) {
      const message = this.outstanding.get(tag);
      this.outstanding.delete(tag);
      this.due.delete(tag);
      if (message) this.safely(() => this.channel.ack(message));
    }
  }

  /** A closed channel already gave its unacked messages back to the broker; the inbox absorbs the redelivery. */
  private safely(operation: () => void): void {
    try {
      operation();
    } catch {
      this.outstanding.clear();
      this.due.clear();
    }
  }
}
