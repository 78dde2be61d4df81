import type { DeadlineRule, SagaDefinition } from './saga-definition.js';

/** What the mechanism keeps in every saga's data: re-sends in the current state, whether it is stuck, and since when it is in its state. */
export interface SagaMechanismData {
  /** Re-sends of the command the saga waits on in its current state (counted afresh in each state). */
  resends?: number;
  /** The saga kept failing to compensate or to get an answer: shown to operators. */
  stuck?: boolean;
  /** When the saga entered its current state (ISO 8601; absent while in its initial state: its row's `createdAt`). */
  enteredAt?: string;
}

export interface RetryPolicy {
  /** How long a reply is waited for before the first re-send (ms); doubles per re-send. */
  replyTimeoutMs: number;
  /** Re-sends before giving up (or, for a compensation, before the saga shows as stuck). */
  maxResends: number;
  /** The longest wait between two re-sends (ms). */
  maxBackoffMs?: number;
}

const HOUR = 3_600_000;

/** When to re-send next after `resends` re-sends: the reply timeout doubling per re-send, at most an hour. */
export function retryAt(policy: RetryPolicy, resends: number, now = Date.now()): Date {
  return new Date(now + Math.min(policy.replyTimeoutMs * 2 ** resends, policy.maxBackoffMs ?? HOUR));
}

/** What the scheduler does with a saga whose deadline is due, decided from its table and data. */
export type DeadlineDecision<S extends string> =
  | { do: 'resend'; resends: number; retryAt: Date }
  | { do: 'give_up'; code: string; reason: string }
  | { do: 'cancel'; code: string; reason: string }
  | { do: 'complete'; to: S; reason: string }
  /** Compensate again; `stuck` once past the last re-send (`newlyStuck` the first time: alert once). */
  | { do: 'compensate'; resends: number; stuck: boolean; newlyStuck: boolean; retryAt: Date }
  | { do: 'decide' };

/** The pure decision for a due deadline in `state` (the saga's own function takes over for `decide`). */
export function decideDeadline<S extends string>(
  definition: SagaDefinition<S>,
  state: S,
  data: SagaMechanismData,
  policy: RetryPolicy,
  now = Date.now(),
): DeadlineDecision<S> | null {
  const rule: DeadlineRule<S> | undefined = definition.states[state].onDeadline;
  if (!rule) return null;
  const resends = (data.resends ?? 0) + 1;
  switch (rule.kind) {
    case 'resend':
      return resends > policy.maxResends
        ? { do: 'give_up', code: rule.giveUp, reason: `no answer in ${state} after ${resends - 1} re-sends` }
        : { do: 'resend', resends, retryAt: retryAt(policy, resends, now) };
    case 'cancel':
      return { do: 'cancel', code: rule.code, reason: rule.reason };
    case 'complete':
      return { do: 'complete', to: rule.to, reason: rule.reason };
    case 'compensate': {
      const stuck = resends > policy.maxResends;
      return { do: 'compensate', resends, stuck, newlyStuck: stuck && !data.stuck, retryAt: retryAt(policy, resends, now) };
    }
    case 'decide':
      return { do: 'decide' };
  }
}
