import type { OrderStatus } from '@skald/contracts';

/** Order statuses in the order the happy path reaches them; an order never moves back. */
const RANK: Partial<Record<OrderStatus, number>> = {
  received: 0,
  on_hold: 1,
  approved: 2,
  backordered: 3,
  reserved: 4,
  released: 5,
  picking: 6,
  packed: 7,
  partially_shipped: 8,
  shipped: 9,
  delivered: 10,
};

export function statusRank(status: OrderStatus): number {
  return RANK[status] ?? -1;
}

/** Outbound note statuses in the order they are reached (a cancelled note is outside it). */
export const NOTE_STATUSES: readonly string[] = ['created', 'confirmed', 'picking', 'packed', 'shipped', 'delivered'];

const NOTE_RANK: Record<string, number> = Object.fromEntries(NOTE_STATUSES.map((status, rank) => [status, rank]));

/** Outbound note statuses in order (warehouse events may arrive out of order). */
export function noteRank(status: string): number {
  return NOTE_RANK[status] ?? -1;
}

/**
 * The order status its outbound notes add up to: picking once any note is picked, packed once
 * all are packed, shipped once all shipped, delivered once all delivered. `expected` is the number
 * of notes the order will have (one per reserving warehouse); notes not yet known count as created.
 */
export function fulfilmentStatus(noteStatuses: string[], expected: number): OrderStatus {
  const statuses = [...noteStatuses, ...Array<string>(Math.max(0, expected - noteStatuses.length)).fill('created')];
  const lowest = Math.min(...statuses.map(noteRank));
  const highest = Math.max(...statuses.map(noteRank));
  if (lowest >= NOTE_RANK.delivered) return 'delivered';
  if (lowest >= NOTE_RANK.shipped) return 'shipped';
  if (lowest >= NOTE_RANK.packed) return 'packed';
  if (highest >= NOTE_RANK.picking) return 'picking';
  return 'released';
}
