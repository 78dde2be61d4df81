import { retryDelayMs } from './retry-policy.js';

describe('retryDelayMs', () => {
  const policy = { baseDelayMs: 2_000, maxDelayMs: 60_000, maxAttempts: 8 };

  it('doubles from the base after each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, policy))).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('schedules nothing after the last allowed attempt', () => {
    expect(retryDelayMs(8, policy)).toBeNull();
    expect(retryDelayMs(1, { ...policy, maxAttempts: 1 })).toBeNull();
  });
});
