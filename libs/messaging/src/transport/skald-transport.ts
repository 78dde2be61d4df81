import { CustomTransportStrategy, Server, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { MessageConsumer } from '../consumer/message-consumer.js';
import type { MessageContext } from '../consumer/message-context.js';
import { HANDLER_NAME_EXTRA, HANDLES_EXTRA } from './on-message.decorator.js';

/** Identifies the transport to NestJS (`@EventPattern(pattern, SKALD_TRANSPORT)` if ever needed). */
export const SKALD_TRANSPORT = Symbol('SKALD_TRANSPORT');

/**
 * NestJS custom transport over the Skald consumer: every `@EventPattern('<routing key>')` method
 * becomes a handler of that routing key, run inside the consumer's transaction
 * (`@Payload()` is the validated contract instance, `@Ctx()` the MessageContext).
 */
export class SkaldTransport extends Server implements CustomTransportStrategy {
  override transportId = SKALD_TRANSPORT;

  constructor(private readonly consumer: MessageConsumer) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      for (const [pattern, handler] of this.getHandlers()) {
        const name = handler.extras?.[HANDLER_NAME_EXTRA] as string | undefined;
        const handles = handler.extras?.[HANDLES_EXTRA] as ((payload: unknown) => boolean) | undefined;
        this.consumer.addHandler(pattern, (payload: unknown, context: MessageContext) => invoke(handler, payload, context), name, handles);
      }
      this.consumer.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer.stop();
  }

  on(): never {
    throw new Error('SkaldTransport has no events to subscribe to; use MessageConsumer events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}

/** Runs a Nest handler (and any chained handlers of the same pattern) to completion. */
async function invoke(handler: MessageHandler, payload: unknown, context: MessageContext): Promise<void> {
  for (let current: MessageHandler | undefined = handler; current; current = current.next) {
    const result = await current(payload, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
