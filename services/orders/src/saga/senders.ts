import type { MessageDefinition } from '@skald/contracts';
import type { MessageContext, Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import type { OrderEntity } from '../orders/order.entity.js';
import type { Send } from './order-saga.service.js';

/** Messages of a step started by an HTTP request: correlated to the saga (the order id). */
export function requestSender(outbox: Outbox, manager: EntityManager, order: OrderEntity): Send {
  return <P extends object>(definition: MessageDefinition<P>, payload: P) =>
    outbox.publish(manager, definition, payload, { tenantId: order.tenantId, correlationId: order.id, causationId: null });
}

/** Messages of a step started by a message: caused by it, same correlation and tenant. */
export function messageSender(context: MessageContext): Send {
  return <P extends object>(definition: MessageDefinition<P>, payload: P) => context.publish(definition, payload);
}
