import { decimalPlaces, fromUnits, MAX_ORDER_AMOUNT, MAX_QUANTITY, MAX_UNIT_PRICE, toUnits } from '@skald/contracts';
import { outOfRange } from '@skald/service-kit';
import { registerDecorator } from 'class-validator';

// The bounds and the minor-unit rule are shared with the gateway (libs/contracts common/amounts).
export { InCurrencyMinorUnits, MAX_ORDER_AMOUNT, MAX_QUANTITY, MAX_UNIT_PRICE, minorUnitProblems } from '@skald/contracts';

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
