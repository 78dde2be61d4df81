import { BadRequestException } from '@nestjs/common';

/**
 * A list cursor for rows ordered by (created_at, id): the last row's pair, opaque to clients
 * (base64url), so the sort key can change without breaking a cursor a client kept.
 */
export function encodeTimeIdCursor(createdAt: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([new Date(createdAt).toISOString(), id])).toString('base64url');
}

/** @throws BadRequestException (400 VALIDATION_FAILED on `cursor`) for anything `encodeTimeIdCursor` did not produce. */
export function decodeTimeIdCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const at = new Date(createdAt);
    if (Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { createdAt: at, id };
  } catch {
    throw new BadRequestException({ code: 'VALIDATION_FAILED', detail: 'Invalid cursor.', errors: [{ field: 'cursor', message: 'cursor is not one this API issued' }] });
  }
}
