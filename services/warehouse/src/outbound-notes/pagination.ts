import { SkaldError } from '@skald/contracts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/*
 * A list cursor is the creation sequence of the last note of a page, opaque to clients so the
 * sort key can change without breaking a cursor a client kept.
 */
const PREFIX = 'seq:';

export function encodeCursor(seq: string): string {
  return Buffer.from(`${PREFIX}${seq}`, 'utf8').toString('base64url');
}

/** @throws SkaldError(INVALID_CURSOR) for anything `encodeCursor` did not produce. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = text.slice(PREFIX.length);
  if (!text.startsWith(PREFIX) || !/^\d{1,18}$/.test(seq)) {
    throw new SkaldError('INVALID_CURSOR', 'The cursor is not one this API returned.', { retryable: false });
  }
  return seq;
}
