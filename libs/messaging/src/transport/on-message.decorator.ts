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
 */
export function OnMessage<P>(definition: MessageDefinition<P>): MessageHandlerDecorator<P> {
  return EventPattern(definition.routingKey) as unknown as MessageHandlerDecorator<P>;
}
