export interface RetryPolicy {
  /** Delay before the first retry; each further retry waits twice as long. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

/**
 * The back-off after failed attempt `attempt` (1-based): base × 2^(attempt−1), capped; null when no
 * attempt is left. No jitter: deliveries fail at unrelated times, so they do not retry in lockstep.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}
