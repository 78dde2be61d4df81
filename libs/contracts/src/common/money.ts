/**
 * Decimal money arithmetic on strings ("129.9") with four decimal places, through BigInt minor
 * units: no float rounding in totals, credit exposure or price comparisons.
 */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

export function toUnits(amount: string | number): bigint {
  const text = typeof amount === 'number' ? amount.toFixed(SCALE) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) throw new Error(`not a decimal amount: ${amount}`);
  const [, minus, whole, fraction = ''] = match;
  const units = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return minus ? -units : units;
}

export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  const fraction = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Sum of unit price × quantity over lines. */
export function lineTotal(lines: Array<{ unitPrice: string; quantity: number }>): string {
  return fromUnits(lines.reduce((sum, line) => sum + toUnits(line.unitPrice) * BigInt(line.quantity), 0n));
}

/** `price` reduced by `pct` percent, rounded down to the unit. */
export function minusPercent(price: string, pct: number): bigint {
  const basisPoints = BigInt(Math.round(pct * 100));
  return (toUnits(price) * (10_000n - basisPoints)) / 10_000n;
}

/** "1250.5000" → "1250.5": amounts as the API shows them. */
export function normalizeAmount(amount: string): string {
  return fromUnits(toUnits(amount));
}
