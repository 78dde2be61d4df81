import { SkaldError } from '@skald/contracts';

const MAX_BIGINT = 2n ** 63n - 1n;

/** The position after a ledger entry, as an opaque cursor (clients must not build their own). */
export function encodeLedgerCursor(entryId: string): string {
  return Buffer.from(`m:${entryId}`, 'utf8').toString('base64url');
}

/**
 * The entry id a cursor points after.
 * @throws SkaldError(INVALID_CURSOR) for anything `encodeLedgerCursor` did not produce.
 */
export function decodeLedgerCursor(cursor: string): string {
  const match = /^m:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || BigInt(match[1]) > MAX_BIGINT) {
    throw new SkaldError('INVALID_CURSOR', 'The cursor is not one this API returned.', { retryable: false });
  }
  return match[1];
}
