import { fromUnits, minusPercent, toUnits } from '@skald/contracts';
import type { ReviewReason } from '../orders/order.entity.js';

export interface ReviewInput {
  currency: string;
  totalAmount: string;
  paymentStatus: 'pending' | 'paid';
  /** What the platform says was paid (or is to be paid). */
  paymentAmount: string;
  customer: { email?: string | null; name?: string | null };
  shippingAddress: { line1?: string; city?: string; postalCode?: string; country?: string } | null;
  lines: Array<{ sku: string; quantity: number; unitPrice: string }>;
  catalog: Map<string, { listPrice: string; currency: string; sellable: boolean }>;
  policy: { priceTolerancePct: number; reviewAmountThreshold: string };
  /**
   * The customer's credit on the order's platform: its limit and the limit's currency (both null
   * when none is set), and its open unpaid orders in the order's currency, this one left out.
   */
  credit: { limit: string | null; currency: string | null; openUnpaid: string };
}

export interface ReviewResult {
  outcome: 'approved' | 'rejected' | 'on_hold';
  /** Hard-rule failures when rejected, soft-rule hits when held. */
  reasons: ReviewReason[];
}

/**
 * The automatic review (审核). Hard rules reject: incomplete order, unknown or unsellable SKU, a
 * price in another currency than the list price, a unit price below list price minus the tenant's
 * tolerance. Soft rules hold for a reviewer: amount above the tenant's threshold; a paid order
 * whose payment differs from the sum of its lines (订单金额审核: the customer paid too much or too
 * little); for an unpaid order of a customer with a credit limit, the customer's open unpaid
 * orders in the limit's currency plus this one above the limit, or an order in another currency
 * than the limit's (no exchange rates: a reviewer decides rather than the order passing
 * unchecked). A customer without a limit gets no credit check. Every failing rule is reported,
 * not only the first.
 */
export function reviewOrder(input: ReviewInput): ReviewResult {
  const hard: ReviewReason[] = [];
  if (!input.customer.email || !input.customer.name) {
    hard.push({ code: 'INCOMPLETE_ORDER', message: 'customer name and e-mail are required' });
  }
  const address = input.shippingAddress;
  if (!address?.line1 || !address.city || !address.postalCode || !address.country) {
    hard.push({ code: 'INCOMPLETE_ORDER', message: 'shipping address is incomplete' });
  }
  if (input.lines.length === 0) hard.push({ code: 'INCOMPLETE_ORDER', message: 'the order has no lines' });

  for (const line of input.lines) {
    const item = input.catalog.get(line.sku);
    if (!item) {
      hard.push({ code: 'SKU_UNKNOWN', message: `SKU ${line.sku} is not in the catalog` });
      continue;
    }
    if (!item.sellable) {
      hard.push({ code: 'SKU_NOT_SELLABLE', message: `SKU ${line.sku} is not sellable` });
      continue;
    }
    if (item.currency !== input.currency) {
      hard.push({ code: 'CURRENCY_MISMATCH', message: `SKU ${line.sku} is listed in ${item.currency}, the order is in ${input.currency}` });
      continue;
    }
    const floor = minusPercent(item.listPrice, input.policy.priceTolerancePct);
    if (toUnits(line.unitPrice) < floor) {
      hard.push({
        code: 'PRICE_BELOW_TOLERANCE',
        message: `SKU ${line.sku}: unit price ${line.unitPrice} is below ${fromUnits(floor)} (list ${fromUnits(toUnits(item.listPrice))} less ${input.policy.priceTolerancePct}%)`,
      });
    }
  }
  if (hard.length > 0) return { outcome: 'rejected', reasons: hard };

  const soft: ReviewReason[] = [];
  const total = toUnits(input.totalAmount);
  if (total > toUnits(input.policy.reviewAmountThreshold)) {
    soft.push({
      code: 'AMOUNT_ABOVE_THRESHOLD',
      message: `order amount ${input.totalAmount} ${input.currency} is above the review threshold ${input.policy.reviewAmountThreshold}`,
    });
  }
  const linesUnits = input.lines.reduce((sum, line) => sum + toUnits(line.unitPrice) * BigInt(line.quantity), 0n);
  if (input.paymentStatus === 'paid' && toUnits(input.paymentAmount) !== linesUnits) {
    // Compared exactly in minor units: a float comparison would hold 0.1 + 0.2 against 0.3.
    const [paymentAmount, linesTotal] = [fromUnits(toUnits(input.paymentAmount)), fromUnits(linesUnits)];
    soft.push({
      code: 'AMOUNT_MISMATCH',
      message: `paid ${paymentAmount} ${input.currency}, but the lines add up to ${linesTotal} ${input.currency}`,
      details: { paymentAmount, linesTotal, currency: input.currency },
    });
  }
  const credit = input.credit;
  if (input.paymentStatus === 'pending' && credit.limit !== null) {
    if (credit.currency !== input.currency) {
      soft.push({
        code: 'CREDIT_LIMIT_CURRENCY_MISMATCH',
        message: `unpaid order in ${input.currency}: the customer's credit limit ${credit.limit} is in ${credit.currency}`,
      });
    } else if (toUnits(credit.openUnpaid) + total > toUnits(credit.limit)) {
      soft.push({
        code: 'CREDIT_LIMIT_EXCEEDED',
        message: `open unpaid orders ${credit.openUnpaid} + this order ${input.totalAmount} exceed the credit limit ${credit.limit} ${credit.currency}`,
      });
    }
  }
  return soft.length > 0 ? { outcome: 'on_hold', reasons: soft } : { outcome: 'approved', reasons: [] };
}
