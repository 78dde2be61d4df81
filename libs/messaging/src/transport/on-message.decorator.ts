import { EventPattern } from '@nestjs/microservices';
import type { MessageDefinition } from '@skald/contracts';
import type { MessageContext } from '../consumer/message-context.js';

type MessageHandlerDecorator<P> = <M extends (payload: P, context: MessageContext) => unknown>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

/**
 * `@EventPattern('<routing key>')` typed by the contract: the handler takes the contract's payload
 * class and the MessageContext.
 *
 * ```ts
 * @OnMessage(OrderPlacedV1)
 * onOrderPlaced(@Payload() order: OrderPlaced, @Ctx() context: MessageContext) { … }
 * ```
 *
 * The handler's name (`Class.method`) travels as the pattern's extras: the inbox records it, so the
 * saga timeline tells which handler ran a message.
 */
export function OnMessage<P>(definition: MessageDefinition<P>): MessageHandlerDecorator<P> {
  return ((target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor) =>
    EventPattern(definition.routingKey, { [HANDLER_NAME_EXTRA]: `${target.constructor.name}.${String(propertyKey)}` })(
      target,
      propertyKey,
      descriptor,
    )) as unknown as MessageHandlerDecorator<P>;
}

/** The key of a handler's name among its pattern's extras (set by OnMessage). */
export const HANDLER_NAME_EXTRA = 'skaldHandler';
