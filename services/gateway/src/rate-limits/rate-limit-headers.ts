import type { Response } from 'express';
import type { RateLimitDecision } from './rate-limit.service.js';

/**
 * The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) headers of the IETF
 * draft "RateLimit header fields for HTTP" on every authenticated answer; on a refusal also
 * `Retry-After` (whole seconds, at least 1).
 */
export function setRateLimitHeaders(res: Response, decision: RateLimitDecision): void {
  res.setHeader('RateLimit-Limit', String(decision.limit));
  res.setHeader('RateLimit-Remaining', String(decision.remaining));
  res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
  if (!decision.allowed) res.setHeader('Retry-After', String(decision.resetSeconds));
}
