import { fromUnits, toUnits } from '@skald/contracts';

/** A platform's return policy (PUT /v1/platforms/{platformId}/return-policy). */
export interface ReturnPolicy {
  /** Days after delivery (or shipment, while no delivery is confirmed) within which a return may be asked for. */
  windowDays: number;
  /** Reason codes that always go to a reviewer. */
  reviewReasons: string[];
  /** A return worth more than this (decimal, the order's currency) goes to a reviewer; null: never. */
  reviewAbove: string | null;
  /** Share of a scrapped (grade C) unit's price that is refunded. */
  scrapRefundPercent: number;
}

export const DEFAULT_RETURN_POLICY: ReturnPolicy = { windowDays: 30, reviewReasons: [], reviewAbove: null, scrapRefundPercent: 100 };

/** What returns knows of the order (its replica, kept from events). */
export interface ReturnableOrderFacts {
  /** When the order's goods arrived (the last delivery), or left (the last shipment) while none is confirmed. */
  windowStart: Date | null;
  /** Per SKU: unit price and units shipped. */
  lines: ReadonlyMap<string, { unitPrice: string; shipped: number }>;
  /** Per SKU: units in earlier returns of the order that were not rejected or cancelled. */
  alreadyReturned: ReadonlyMap<string, number>;
  /** SKUs the catalog marks as not returnable. */
  notReturnable: ReadonlySet<string>;
}

export interface RequestedLine {
  sku: string;
  quantity: number;
  reasonCode: string;
}

export type ReturnCheck =
  | { ok: false; code: 'RETURN_WINDOW_CLOSED' | 'RETURN_QUANTITY_EXCEEDED' | 'SKU_NOT_RETURNABLE'; message: string; details: Record<string, unknown> }
  | { ok: true; amount: string; review: string[] };

/**
 * The policy applied to a request: refused with a stable code, or accepted with its worth and the
 * reasons it needs a reviewer (none: approved at once). Checks in this order, so that a request
 * breaking several rules always gets the same answer: window, returnable, quantity.
 */
export function checkReturn(lines: readonly RequestedLine[], order: ReturnableOrderFacts, policy: ReturnPolicy, now: Date): ReturnCheck {
  if (!order.windowStart) {
    return { ok: false, code: 'RETURN_QUANTITY_EXCEEDED', message: 'nothing of this order has shipped yet: there is nothing to return', details: {} };
  }
  const closesAt = new Date(order.windowStart.getTime() + policy.windowDays * 86_400_000);
  if (now > closesAt) {
    return { ok: false, code: 'RETURN_WINDOW_CLOSED', message: `the return window of ${policy.windowDays} days closed at ${closesAt.toISOString()}`, details: { closedAt: closesAt.toISOString(), windowDays: policy.windowDays } };
  }
  const notReturnable = [...new Set(lines.map((l) => l.sku).filter((sku) => order.notReturnable.has(sku)))];
  if (notReturnable.length > 0) {
    return { ok: false, code: 'SKU_NOT_RETURNABLE', message: `not returnable: ${notReturnable.join(', ')}`, details: { skus: notReturnable } };
  }
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
  const exceeded = [...wanted]
    .map(([sku, quantity]) => ({ sku, requested: quantity, returnable: Math.max(0, (order.lines.get(sku)?.shipped ?? 0) - (order.alreadyReturned.get(sku) ?? 0)) }))
    .filter((line) => line.requested > line.returnable);
  if (exceeded.length > 0) {
    return {
      ok: false,
      code: 'RETURN_QUANTITY_EXCEEDED',
      message: exceeded.map((l) => `${l.sku}: ${l.requested} asked, ${l.returnable} returnable`).join('; '),
      details: { lines: exceeded },
    };
  }
  const amount = [...wanted].reduce((sum, [sku, quantity]) => sum + toUnits(order.lines.get(sku)?.unitPrice ?? '0') * BigInt(quantity), 0n);
  const review: string[] = [];
  const flagged = [...new Set(lines.map((l) => l.reasonCode).filter((code) => policy.reviewReasons.includes(code)))];
  if (flagged.length > 0) review.push(`REVIEW_REASON: ${flagged.join(', ')}`);
  if (policy.reviewAbove !== null && amount > toUnits(policy.reviewAbove)) review.push(`REVIEW_AMOUNT: ${fromUnits(amount)} above ${policy.reviewAbove}`);
  return { ok: true, amount: fromUnits(amount), review };
}

export interface GradedLine {
  sku: string;
  quantity: number;
  grade: 'A' | 'B' | 'C';
}

/**
 * The refund of inspected goods: the order's unit price × accepted units, a scrapped (grade C)
 * unit at `scrapRefundPercent` of its price, rounded down to the 4th decimal; never above what is
 * left of the payment (`paidLeft`: paid, minus what was refunded already; 0 when nothing was paid).
 */
export function refundFor(
  lines: readonly GradedLine[],
  unitPrice: (sku: string) => string,
  scrapRefundPercent: number,
  paidLeft: string,
): { amount: string; lines: Array<GradedLine & { amount: string }>; capped: boolean } {
  const basisPoints = BigInt(Math.round(scrapRefundPercent * 100));
  const priced = lines.map((line) => {
    const full = toUnits(unitPrice(line.sku)) * BigInt(line.quantity);
    return { ...line, units: line.grade === 'C' ? (full * basisPoints) / 10_000n : full };
  });
  const total = priced.reduce((sum, line) => sum + line.units, 0n);
  const left = toUnits(paidLeft) > 0n ? toUnits(paidLeft) : 0n;
  const amount = total > left ? left : total;
  return { amount: fromUnits(amount), capped: total > left, lines: priced.map(({ units, ...line }) => ({ ...line, amount: fromUnits(units) })) };
}
