import { outOfRange } from '@skald/service-kit';
import { registerDecorator } from 'class-validator';
import { fromUnits, toUnits } from './money.js';

/** The most of one SKU on one order line. */
export const MAX_QUANTITY = 1_000_000;
/** The most a unit price may be; the order total, not the price, is what fills the columns. */
export const MAX_UNIT_PRICE = 1_000_000_000;
/** The most an order total or a payment may be: below numeric(14,4)'s 9,999,999,999.9999. */
export const MAX_ORDER_AMOUNT = 9_999_999_999;

function decimalPlaces(value: number): number {
  const [mantissa, exponent] = String(value).toLowerCase().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent ?? 0));
}

/**
 * A money amount's form: a finite JSON number with at most 4 decimals (its bounds are separate
 * `outOfRange()` checks). Unlike class-validator's `IsNumber({ maxDecimalPlaces })`, which throws
 * on exponent notation (1e-7) and so answered 500, it reads any number.
 */
export function IsAmount(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= 4,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a number with at most 4 decimals`,
      },
    });
}

/** Whether a line is well-formed and in range, so that its amount can be computed exactly. */
function isSummable(line: { quantity?: unknown; unitPrice?: unknown } | null | undefined): line is { quantity: number; unitPrice: number } {
  if (!line) return false;
  const { quantity, unitPrice } = line;
  return (
    Number.isInteger(quantity) &&
    (quantity as number) >= 1 &&
    (quantity as number) <= MAX_QUANTITY &&
    typeof unitPrice === 'number' &&
    Number.isFinite(unitPrice) &&
    decimalPlaces(unitPrice) <= 4 &&
    unitPrice >= 0 &&
    unitPrice <= MAX_UNIT_PRICE
  );
}

/**
 * On an order's `lines`: quantity × unitPrice summed exactly (minor units) is at most
 * MAX_ORDER_AMOUNT, or the total would overflow `sales_order.total_amount` although each line
 * fits. Out of range is a 422 AMOUNT_OUT_OF_RANGE; lines malformed themselves are left to their
 * own checks.
 */
export function LinesTotalWithinBounds(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'linesTotalWithinBounds',
      target: target.constructor,
      propertyName: String(propertyName),
      options: outOfRange(),
      validator: {
        validate: (lines: unknown) => {
          if (!Array.isArray(lines) || !lines.every(isSummable)) return true;
          const total = lines.reduce((sum: bigint, line: { quantity: number; unitPrice: number }) => sum + toUnits(line.unitPrice) * BigInt(line.quantity), 0n);
          return total <= toUnits(MAX_ORDER_AMOUNT);
        },
        defaultMessage: (args) => `${args?.property ?? 'lines'} add up to more than ${fromUnits(toUnits(MAX_ORDER_AMOUNT))} (the sum of quantity × unitPrice)`,
      },
    });
}

/** Decimals of a currency's minor unit (EUR 2, JPY 0, BHD 3), or undefined for an unknown code. */
export function currencyDecimals(currency: unknown): number | undefined {
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return undefined;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

/**
 * Amounts with more decimals than the currency's minor unit ("12.505 EUR", "100.5 JPY"), as
 * `{ field, message }`. Money paid and prices charged are whole minor units, so the sum of the
 * lines can be compared exactly with the payment (AMOUNT_MISMATCH).
 */
export function minorUnitProblems(currency: unknown, amounts: Array<[field: string, amount: unknown]>): Array<{ field: string; message: string }> {
  const decimals = currencyDecimals(currency);
  if (decimals === undefined) return [];
  return amounts
    .filter(([, amount]) => typeof amount === 'number' && Number.isFinite(amount) && decimalPlaces(amount) > decimals)
    .map(([field]) => ({ field, message: `${field} must have at most ${decimals} decimals in ${String(currency)}` }));
}

/**
 * On an order's `lines` or `payment`: each unit price, or the payment amount, in whole minor units
 * of the order's `currency` (a 400). The order's currency is a sibling, hence a check on the parent.
 */
export function InCurrencyMinorUnits(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'inCurrencyMinorUnits',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args) => minorUnitProblems((args?.object as { currency?: unknown }).currency, amountsOf(String(propertyName), value)).length === 0,
        defaultMessage: (args) =>
          minorUnitProblems((args?.object as { currency?: unknown }).currency, amountsOf(String(propertyName), args?.value))
            .map((problem) => problem.message)
            .join('; '),
      },
    });
}

function amountsOf(property: string, value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((line: { unitPrice?: unknown } | null, index) => [`${property}.${index}.unitPrice`, line?.unitPrice]);
  if (value && typeof value === 'object') return [[`${property}.amount`, (value as { amount?: unknown }).amount]];
  return [];
}
