import type { ShortagePolicy } from '../orders/order.entity.js';
import type { TenantPolicyEntity } from '../tenants/tenant-policy.entity.js';

const DAY = 86_400_000;

/**
 * How far ahead an order's own backorder deadline may be (the platform's maximum). A constant for
 * every platform for now; a deadline further out would hold reserved stock for longer than any
 * platform's replenishment plans.
 */
export const MAX_BACKORDER_DAYS = 90;

/** Why an order's own backorder deadline is refused (a SkaldError code), or undefined if it is fine. */
export function backorderDeadlineProblem(deadline: string, now: Date): 'BACKORDER_DEADLINE_PAST' | 'BACKORDER_DEADLINE_TOO_FAR' | undefined {
  const at = Date.parse(deadline);
  if (at <= now.getTime()) return 'BACKORDER_DEADLINE_PAST';
  if (at > now.getTime() + MAX_BACKORDER_DAYS * DAY) return 'BACKORDER_DEADLINE_TOO_FAR';
  return undefined;
}

/**
 * The shortage policy an order runs with: its own, completed by its platform's defaults (the
 * backorder deadline counted from when the order was placed), or the platform's altogether.
 */
export function resolveShortagePolicy(own: ShortagePolicy | null, platform: Pick<TenantPolicyEntity, 'shortageMode' | 'backorderDays' | 'partialRemainder'>, placedAt: Date): ShortagePolicy {
  const mode = own?.mode ?? platform.shortageMode;
  if (mode === 'reject') return { mode, backorderDeadline: null, partialRemainder: null };
  const partialRemainder = mode === 'partial' ? (own?.partialRemainder ?? platform.partialRemainder) : null;
  const waits = mode === 'backorder' || partialRemainder === 'backorder';
  const backorderDeadline = waits ? (own?.backorderDeadline ?? new Date(placedAt.getTime() + platform.backorderDays * DAY).toISOString()) : null;
  return { mode, backorderDeadline, partialRemainder };
}
