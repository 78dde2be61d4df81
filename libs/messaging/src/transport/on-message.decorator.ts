import { EventPattern } from '@nestjs/microservices';
import type { MessageDefinition } from '@skald/contracts';
import type { MessageContext } from '../consumer/message-context.js';

type MessageHandlerDecorator<P> = <M extends (payload: P, context: MessageContext) => unknown>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

export interface OnMessageOptions<P> {
  /**
   * Which messages of the routing key the handler acts on, decided from the payload alone (a pure
   * function: no database, no clock). A message it answers `false` for is acked as it comes, with
   * no transaction and no inbox record: the handler would have had no effect, and a message without
   * effect needs no deduplication (a redelivery is answered `false` again). For a handler that
   * ignores most of a busy routing key (returns and the statuses of every order), that is a
   * transaction, two inbox writes and their round trips saved per message.
   */
  handles?: (payload: P) => boolean;
}

/**
 * `@EventPattern('<routing key>')` typed by the contract: the handler takes the contract's payload
 * class and the MessageContext.
 *
 * ```ts
 * @OnMessage(OrderPlacedV1)
 * onOrderPlaced(@Payload() order: OrderPlaced, @Ctx() context: MessageContext) { … }
 *
 * @OnMessage(OrderStatusChangedV1, { handles: (change) => change.status === 'delivered' })
 * onDelivered(…) { … }
 * ```
 *
 * The handler's name (`Class.method`) travels as the pattern's extras: the inbox records it, so the
 * saga timeline tells which handler ran a message. So does `handles`, for the consumer.
 */
export function OnMessage<P>(definition: MessageDefinition<P>, options: OnMessageOptions<P> = {}): MessageHandlerDecorator<P> {
  return ((target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor) =>
    EventPattern(definition.routingKey, {
      [HANDLER_NAME_EXTRA]: `${target.constructor.name}.${String(propertyKey)}`,
      ...(options.handles ? { [HANDLES_EXTRA]: options.handles } : {}),
    })(target, propertyKey, descriptor)) as unknown as MessageHandlerDecorator<P>;
}

/** The key of a handler's name among its pattern's extras (set by OnMessage). */
export const HANDLER_NAME_EXTRA = 'skaldHandler';

/** The key of a handler's `handles` predicate among its pattern's extras (set by OnMessage). */
export const HANDLES_EXTRA = 'skaldHandles';
