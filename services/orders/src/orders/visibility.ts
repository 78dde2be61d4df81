import type { Caller } from '@skald/service-kit';
import type { OrderEntity } from './order.entity.js';

/** A platform sees (and acts on) its own orders only; staff see all. Another tenant's order is "not found". */
export function visibleTo(caller: Caller, order: Pick<OrderEntity, 'tenantId'>): boolean {
  return caller.kind !== 'platform' || order.tenantId === caller.tenantId;
}
