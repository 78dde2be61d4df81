/** Metadata: the top-level fields of the route's JSON answer that are not stored for replays. */
export const IDEMPOTENCY_OMIT_FROM_REPLAY = 'skald:idempotency-omit-from-replay';
/** Metadata: the route refuses a request without `Idempotency-Key` (400 VALIDATION_FAILED). */
export const IDEMPOTENCY_KEY_REQUIRED = 'skald:idempotency-key-required';

export interface IdempotentOptions {
  /**
   * Top-level fields of the JSON answer left out of the stored response, so a replay answers
   * without them: a secret shown once is never kept in the idempotency records.
   */
  omitFromReplay?: string[];
  /**
   * The route refuses a request without `Idempotency-Key` (400 VALIDATION_FAILED, nothing
   * forwarded): for commands whose blind retry would act twice (a second return of the same goods).
   */
  required?: boolean;
}
