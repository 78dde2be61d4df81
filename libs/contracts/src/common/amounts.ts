import { registerDecorator } from 'class-validator';

/**
 * Money and quantity rules the gateway and the orders service both apply (the gateway before it
 * forwards, the service as the owner): one definition, so the two cannot drift apart.
 */

/** The most of one SKU on one order line. */
export const MAX_QUANTITY = 1_000_000;
/** The most a unit price may be; the order total, not the price, is what fills the columns. */
export const MAX_UNIT_PRICE = 1_000_000_000;
/** The most an order total, a payment or a credit limit may be: below numeric(14,4)'s 9,999,999,999.9999. */
export const MAX_ORDER_AMOUNT = 9_999_999_999;

/** Decimals a JSON number is written with, exponent notation included (1e-7 has 7). */
export function decimalPlaces(value: number): number {
  const [mantissa, exponent] = String(value).toLowerCase().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent ?? 0));
}

/**
 * What `currencyDecimals` learned of each code: building an Intl.NumberFormat costs far more than
 * the validation it serves (it ran for every order a platform placed), and the answer never
 * changes. At most 26³ three-letter codes, so the map stays bounded.
 */
const decimalsByCurrency = new Map<string, number | undefined>();

/** Decimals of a currency's minor unit (EUR 2, JPY 0, BHD 3), or undefined for an unknown code. */
export function currencyDecimals(currency: unknown): number | undefined {
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return undefined;
  if (decimalsByCurrency.has(currency)) return decimalsByCurrency.get(currency);
  let decimals: number | undefined;
  try {
    decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    decimals = undefined;
  }
  decimalsByCurrency.set(currency, decimals);
  return decimals;
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

function amountsOf(property: string, value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((line: { unitPrice?: unknown } | null, index) => [`${property}.${index}.unitPrice`, line?.unitPrice]);
  if (value && typeof value === 'object') return [[`${property}.amount`, (value as { amount?: unknown }).amount]];
  return [];
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
