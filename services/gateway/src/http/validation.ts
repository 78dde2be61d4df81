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

/** A channel, a payment method, a status: a lower-case word. */
export const WORD_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const WORD_PATTERN_MESSAGE = 'must be a lower-case word of at most 32 characters (a-z, 0-9, "_" and "-")';

/** A page cursor as the services issue them. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** A date-time with a time zone: a local time would be ambiguous. */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const DECIMAL_STRING = /^\d{1,10}(\.\d{1,4})?$/;
/** Below numeric(14,4)'s limit, so every amount the API accepts can be stored. */
export const MAX_AMOUNT = 9_999_999_999;

function decimalPlaces(value: number): number {
  const [mantissa, exponent] = String(value).toLowerCase().split('e');
  const places = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, places - Number(exponent ?? 0));
}

/** A non-negative amount with at most 4 decimals, as a JSON number or (when allowed) a decimal string. */
export function isAmount(value: unknown, options: { allowString: boolean }): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 && value <= MAX_AMOUNT && decimalPlaces(value) <= 4;
  return options.allowString && typeof value === 'string' && DECIMAL_STRING.test(value);
}

/**
 * A money amount: ≥ 0, at most 4 decimals, below 10 billion. A JSON number; with `allowString`
 * also a decimal string ("129.90"), where the owning service takes both.
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
