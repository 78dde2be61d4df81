import type { SagaState } from './order-saga.entity.js';

/**
 * How long the saga waits in each waiting state before its deadline is due. The saga scheduler
 * (stock shortage and cancellation work) acts on due deadlines; until then they are recorded so a
 * stuck saga is visible (`order_saga.deadline_at < now()`).
 */
const WAIT_MS: Partial<Record<SagaState, number>> = {
  reviewing: 5 * 60_000,
  awaiting_review: 72 * 3_600_000,
  reserving: 5 * 60_000,
  releasing: 5 * 60_000,
  fulfilling: 7 * 24 * 3_600_000,
  awaiting_delivery: 30 * 24 * 3_600_000,
};

/** The deadline of a state entered now; null for terminal states. */
export function deadlineFor(state: SagaState, now = Date.now()): Date | null {
  const wait = WAIT_MS[state];
  return wait === undefined ? null : new Date(now + wait);
}
