export interface SkaldErrorOptions {
  /** false: retrying cannot help (bad data, a broken invariant); a consumer dead-letters at once. */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An error with a stable, machine-readable code (`ORDER_LOCKED`, `STOCK_SHORT`). The gateway maps
 * codes to HTTP statuses and problem details; message consumers map them to retry or dead-letter.
 */
export class SkaldError extends Error {
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: string,
    message: string,
    options: SkaldErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SkaldError';
    this.retryable = options.retryable ?? true;
    this.details = options.details;
  }
}

/** Whether a failure may succeed on another attempt. Unknown errors are assumed transient. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof SkaldError) || error.retryable;
}

/** The stable code of an error, `UNEXPECTED_ERROR` for anything that is not a SkaldError. */
export function errorCodeOf(error: unknown): string {
  return error instanceof SkaldError ? error.code : 'UNEXPECTED_ERROR';
}
