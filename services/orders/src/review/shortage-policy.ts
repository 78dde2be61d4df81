import type { ShortagePolicy } from '../orders/order.entity.js';
import type { TenantPolicyEntity } from '../tenants/tenant-policy.entity.js';

const DAY = 86_400_000;

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
