import type { ShortagePolicy } from '../orders/order.entity.js';
import type { TenantPolicyEntity } from '../tenants/tenant-policy.entity.js';

const DAY = 86_400_000;

/**
 * How far ahead an order's own backorder deadline may be unless its platform says otherwise
 * (`skald platform create --max-backorder-days`): a deadline further out would hold reserved stock
 * longer than replenishment is planned.
 */
export const DEFAULT_MAX_BACKORDER_DAYS = 90;

/** Why an order's own backorder deadline is refused (a SkaldError code), or undefined if it is fine. */
export function backorderDeadlineProblem(deadline: string, now: Date, maxDays: number): 'BACKORDER_DEADLINE_PAST' | 'BACKORDER_DEADLINE_TOO_FAR' | undefined {
  const at = Date.parse(deadline);
  if (at <= now.getTime()) return 'BACKORDER_DEADLINE_PAST';
  if (at > now.getTime() + maxDays * DAY) return 'BACKORDER_DEADLINE_TOO_FAR';
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
