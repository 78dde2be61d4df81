import { decimalPlaces, InCurrencyMinorUnits, MAX_ORDER_AMOUNT, MAX_QUANTITY, MAX_UNIT_PRICE } from '@skald/contracts';
import { outOfRange } from '@skald/service-kit';
import { registerDecorator, type ValidationOptions } from 'class-validator';

// The patterns below are the owning services' own, so that what the gateway accepts they accept
// too, and bad input is refused here rather than upstream.

/** SKUs and warehouse codes (inventory's identifiers). */
export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const CODE_PATTERN_MESSAGE = 'must be 1 to 64 letters, digits, ".", "_" or "-"';

/** A customer's id on its platform. */
export const CUSTOMER_ID_PATTERN = /^[\w.:@-]{1,100}$/;
export const CUSTOMER_ID_PATTERN_MESSAGE = 'must be 1 to 100 letters, digits, "_", ".", ":", "@" or "-"';

/** An order's id on its platform. */
export const EXTERNAL_ID_PATTERN = /^[\w.:#/-]{1,100}$/;
export const EXTERNAL_ID_PATTERN_MESSAGE = 'must be 1 to 100 letters, digits, "_", ".", ":", "#", "/" or "-"';

/** A channel, a payment method, a status: a lower-case word. */
export const WORD_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const WORD_PATTERN_MESSAGE = 'must be a lower-case word of at most 32 characters (a-z, 0-9, "_" and "-")';

/** A page cursor as the services issue them. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** A date-time with a time zone: a local time would be ambiguous. */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const DECIMAL_STRING = /^\d{1,10}(\.\d{1,4})?$/;
/** Below numeric(14,4)'s limit, so every amount and order total the API accepts can be stored. */
export const MAX_AMOUNT = MAX_ORDER_AMOUNT;
// The bounds and the minor-unit rule are the orders service's own (libs/contracts common/amounts).
export { InCurrencyMinorUnits, MAX_QUANTITY, MAX_UNIT_PRICE };

/**
 * An amount's form: a finite non-negative JSON number with at most 4 decimals or (when allowed) a
 * decimal string. Its upper bound is AmountWithin's, so that an amount too large is a 422.
 */
export function isAmount(value: unknown, options: { allowString: boolean }): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 && decimalPlaces(value) <= 4;
  return options.allowString && typeof value === 'string' && DECIMAL_STRING.test(value);
}

/**
 * A money amount: at most 4 decimals, a JSON number or, with `allowString`, also a decimal string
 * ("129.90") where the owning service takes both. Pair it with AmountWithin for its bounds.
 */
export function IsAmount(options: { allowString?: boolean } = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const allowString = options.allowString ?? false;
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName: String(propertyName),
      options: validationOptions,
      validator: {
        validate: (value: unknown) => isAmount(value, { allowString }),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a non-negative amount with at most 4 decimals${allowString ? ' (a number or a decimal string)' : ''}`,
      },
    });
}

/**
 * An amount at most `max`; beyond it the answer is 422 AMOUNT_OUT_OF_RANGE (see outOfRange). A
 * value that is not an amount at all (a negative one included) is left to IsAmount: 400.
 */
export function AmountWithin(max: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'amountWithin',
      target: target.constructor,
      propertyName: String(propertyName),
      options: outOfRange(),
      validator: {
        validate: (value: unknown) => {
          const amount = typeof value === 'string' ? Number(value) : value;
          if (typeof amount !== 'number' || !Number.isFinite(amount)) return true;
          return amount <= max;
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must not be greater than ${max}`,
      },
    });
}

const UNITS_PER_AMOUNT = 10_000n;

/** An amount in ten-thousandths, exactly: "0.1" and 0.1 are 1000, never 999.9999…. */
function amountUnits(value: number): bigint {
  const [whole, fraction = ''] = value.toFixed(4).split('.');
  return BigInt(whole) * UNITS_PER_AMOUNT + BigInt(fraction.padEnd(4, '0'));
}

/**
 * On an order's `lines`: the sum of quantity × unitPrice is at most `max` (the order total's
 * column), computed exactly. Each line may fit while their sum does not; that is a 422
 * AMOUNT_OUT_OF_RANGE too. Lines that are malformed themselves are left to their own checks.
 */
export function LinesTotalWithin(max: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'linesTotalWithin',
      target: target.constructor,
      propertyName: String(propertyName),
      options: outOfRange(),
      validator: {
        validate: (lines: unknown) => {
          if (!Array.isArray(lines)) return true;
          let total = 0n;
          for (const line of lines as Array<{ quantity?: unknown; unitPrice?: unknown }>) {
            const { quantity, unitPrice } = line ?? {};
            if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > MAX_QUANTITY) return true;
            if (!isAmount(unitPrice, { allowString: false }) || (unitPrice as number) > MAX_UNIT_PRICE) return true;
            total += amountUnits(unitPrice as number) * BigInt(quantity as number);
          }
          return total <= BigInt(max) * UNITS_PER_AMOUNT;
        },
        defaultMessage: (args) => `${args?.property ?? 'lines'} add up to more than ${max} (the sum of quantity × unitPrice)`,
      },
    });
}
