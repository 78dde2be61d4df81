import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

/** SKUs and warehouse codes: 1–64 characters of letters, digits, ".", "_" and "-". */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** `IDENTIFIER_PATTERN` as an OpenAPI `pattern`. */
export const IDENTIFIER_PATTERN_SOURCE = IDENTIFIER_PATTERN.source;

/** Validates an SKU or a warehouse code. */
export function IsIdentifier(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(IDENTIFIER_PATTERN, { message: '$property must be 1-64 characters of A-Z, a-z, 0-9, ".", "_" or "-"' }),
  );
}

/**
 * Orders identifiers by UTF-16 code unit, which for these ASCII identifiers is the byte order of
 * the "C" collation the database uses for them: rows are locked in this order everywhere.
 */
export function compareIdentifiers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
