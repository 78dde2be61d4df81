/** Metadata: the top-level fields of the route's JSON answer that are not stored for replays. */
export const IDEMPOTENCY_OMIT_FROM_REPLAY = 'skald:idempotency-omit-from-replay';

export interface IdempotentOptions {
  /**
   * Top-level fields of the JSON answer left out of the stored response, so a replay answers
   * without them: a secret shown once is never kept in the idempotency records.
   */
  omitFromReplay?: string[];
}
