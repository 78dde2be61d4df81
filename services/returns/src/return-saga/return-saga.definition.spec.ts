import { canMove, decideDeadline, statesAccepting, tableProblems, terminalStates } from '@skald/saga';
import { decideReturnDeadline, RETURN_REQUESTS, RETURN_SAGA, RETURN_STATUS_OF, returnSagaDeadline } from './return-saga.definition.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const TIMEOUTS = { review: 1_000, goods: 2_000, inspection: 3_000, reply: 4_000, replacement: 5_000 };
const POLICY = { replyTimeoutMs: 1_000, maxResends: 2 };

describe('return saga table', () => {
  it('is a valid table with the statuses of the issue as its outcomes', () => {
    expect(tableProblems(RETURN_SAGA)).toEqual([]);
    expect(terminalStates(RETURN_SAGA)).toEqual(['rejected', 'cancelled', 'closed']);
    expect(new Set(Object.values(RETURN_STATUS_OF))).toEqual(new Set(['requested', 'approved', 'rejected', 'received', 'inspected', 'refunded', 'exchanged', 'closed', 'cancelled']));
  });

  it('is cancelled only before receipt, reviewed only while requested', () => {
    expect(statesAccepting(RETURN_SAGA, RETURN_REQUESTS.cancel)).toEqual(['requested', 'approved']);
    expect(statesAccepting(RETURN_SAGA, RETURN_REQUESTS.review)).toEqual(['requested']);
    expect(canMove(RETURN_SAGA, 'received', 'cancelling')).toBe(false);
    expect(canMove(RETURN_SAGA, 'exchanged', 'refunded')).toBe(true);
  });

  it('waits per state; an overdue review or inspection waits without deadline once flagged', () => {
    expect(returnSagaDeadline(TIMEOUTS, 'requested', {}, NOW)).toEqual(new Date(NOW + 1_000));
    expect(returnSagaDeadline(TIMEOUTS, 'requested', { overdue: true }, NOW)).toBeNull();
    expect(returnSagaDeadline(TIMEOUTS, 'approved', { overdue: true }, NOW)).toEqual(new Date(NOW + 2_000));
    expect(returnSagaDeadline(TIMEOUTS, 'closed', {}, NOW)).toBeNull();
  });

  it('decides each deadline: overdue flag, cancel the return, re-send, compensate, close', () => {
    expect(decideDeadline(RETURN_SAGA, 'requested', {}, POLICY, NOW)).toEqual({ do: 'decide' });
    expect(decideReturnDeadline({ state: 'requested', data: {} })).toMatchObject({ do: 'flag_overdue', reason: expect.stringMatching(/^RETURN_REVIEW_OVERDUE/) });
    expect(decideReturnDeadline({ state: 'received', data: {} })).toMatchObject({ do: 'flag_overdue', reason: expect.stringMatching(/^RETURN_INSPECTION_OVERDUE/) });
    expect(decideReturnDeadline({ state: 'received', data: { overdue: true } })).toEqual({ do: 'nothing' });
    expect(decideDeadline(RETURN_SAGA, 'approved', {}, POLICY, NOW)).toMatchObject({ do: 'cancel', code: 'RETURN_NOT_RECEIVED' });
    expect(decideDeadline(RETURN_SAGA, 'inspected', { resends: 2 }, POLICY, NOW)).toMatchObject({ do: 'give_up' });
    expect(decideDeadline(RETURN_SAGA, 'cancelling', {}, POLICY, NOW)).toMatchObject({ do: 'compensate', stuck: false });
    expect(decideDeadline(RETURN_SAGA, 'refunded', {}, POLICY, NOW)).toMatchObject({ do: 'complete', to: 'closed' });
  });
});
