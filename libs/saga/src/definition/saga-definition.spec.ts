import { compensationPlan, nextCompensation } from './compensation.js';
import { decideDeadline, retryAt } from './deadlines.js';
import { accepts, canMove, defineSaga, isTerminal, statesAccepting, tableProblems, terminalStates, type SagaDefinition } from './saga-definition.js';

/** A small saga in the shape of the real ones: a command and its reply, a review, compensation. */
const PARCEL = defineSaga({
  type: 'parcel',
  initial: 'asking',
  undoable: ['hold', 'label'],
  states: {
    asking: { waitsFor: 'a reply', accepts: ['answered', 'cancel'], next: ['waiting', 'undoing'], waits: 'reply', onDeadline: { kind: 'resend', giveUp: 'NO_ANSWER' } },
    waiting: { waitsFor: 'a person', accepts: ['decided', 'cancel'], next: ['sent', 'undoing'], waits: 'person', onDeadline: { kind: 'cancel', code: 'TOO_SLOW', reason: 'nobody decided' } },
    sent: { waitsFor: 'delivery', accepts: ['delivered'], next: ['done'], waits: 'delivery', onDeadline: { kind: 'complete', to: 'done', reason: 'assumed delivered' } },
    undoing: { waitsFor: 'the undoing', accepts: ['undone'], next: ['cancelled'], waits: 'reply', onDeadline: { kind: 'compensate' } },
    done: { waitsFor: 'nothing', accepts: [], next: [] },
    cancelled: { waitsFor: 'nothing', accepts: ['undone'], next: [] },
  },
});
const POLICY = { replyTimeoutMs: 1_000, maxResends: 2, maxBackoffMs: 3_000 };
const NOW = Date.parse('2026-12-06T12:00:00Z');

describe('saga definition (states and transitions as data)', () => {
  it('answers what may move where, what is accepted where, what is terminal', () => {
    expect(canMove(PARCEL, 'asking', 'waiting')).toBe(true);
    expect(canMove(PARCEL, 'asking', 'asking')).toBe(true);
    expect(canMove(PARCEL, 'asking', 'done')).toBe(false);
    expect(canMove(PARCEL, 'done', 'asking')).toBe(false);
    expect(accepts(PARCEL, 'asking', 'answered')).toBe(true);
    expect(accepts(PARCEL, 'sent', 'answered')).toBe(false);
    expect(statesAccepting(PARCEL, 'cancel')).toEqual(['asking', 'waiting']);
    expect(terminalStates(PARCEL)).toEqual(['done', 'cancelled']);
    expect(isTerminal(PARCEL, 'undoing')).toBe(false);
  });

  it('refuses a broken table when it is declared, naming every problem', () => {
    const broken = {
      type: 'broken',
      initial: 'nowhere',
      undoable: [],
      states: {
        a: { waitsFor: 'x', accepts: [], next: ['b', 'ghost'] },
        b: { waitsFor: 'x', accepts: [], next: [], waits: 'reply', onDeadline: { kind: 'cancel', code: 'C', reason: 'r' } },
        c: { waitsFor: 'x', accepts: [], next: ['a'], waits: 'reply', onDeadline: { kind: 'complete', to: 'b', reason: 'r' } },
      },
    } as unknown as SagaDefinition<string>;
    expect(tableProblems(broken)).toEqual([
      'initial state nowhere is not declared',
      'a → ghost: no such state',
      'a waits without a deadline (waits and onDeadline are required)',
      'b is terminal but has a deadline',
      'c: its deadline completes to b, which it may not move to',
    ]);
    expect(() => defineSaga(broken)).toThrow(/saga broken: initial state nowhere/);
    expect(tableProblems(PARCEL)).toEqual([]);
  });
});

describe('deadline decisions', () => {
  it('re-sends with doubling back-off, capped, and gives up after the last re-send', () => {
    expect(decideDeadline(PARCEL, 'asking', {}, POLICY, NOW)).toEqual({ do: 'resend', resends: 1, retryAt: new Date(NOW + 2_000) });
    expect(decideDeadline(PARCEL, 'asking', { resends: 1 }, POLICY, NOW)).toEqual({ do: 'resend', resends: 2, retryAt: new Date(NOW + 3_000) });
    expect(decideDeadline(PARCEL, 'asking', { resends: 2 }, POLICY, NOW)).toEqual({ do: 'give_up', code: 'NO_ANSWER', reason: 'no answer in asking after 2 re-sends' });
    expect(retryAt({ replyTimeoutMs: 1_000, maxResends: 9 }, 30, NOW)).toEqual(new Date(NOW + 3_600_000));
  });

  it('cancels, completes, or compensates for ever (stuck once, after the last re-send)', () => {
    expect(decideDeadline(PARCEL, 'waiting', { resends: 7 }, POLICY, NOW)).toEqual({ do: 'cancel', code: 'TOO_SLOW', reason: 'nobody decided' });
    expect(decideDeadline(PARCEL, 'sent', {}, POLICY, NOW)).toEqual({ do: 'complete', to: 'done', reason: 'assumed delivered' });
    expect(decideDeadline(PARCEL, 'undoing', { resends: 1 }, POLICY, NOW)).toMatchObject({ do: 'compensate', resends: 2, stuck: false, newlyStuck: false });
    expect(decideDeadline(PARCEL, 'undoing', { resends: 2 }, POLICY, NOW)).toMatchObject({ do: 'compensate', resends: 3, stuck: true, newlyStuck: true });
    expect(decideDeadline(PARCEL, 'undoing', { resends: 3, stuck: true }, POLICY, NOW)).toMatchObject({ do: 'compensate', resends: 4, stuck: true, newlyStuck: false });
    expect(decideDeadline(PARCEL, 'done', {}, POLICY, NOW)).toBeNull();
  });
});

describe('compensation in reverse order', () => {
  it('undoes the latest done step first, skips what was never done, ends when all are undone', () => {
    const plan = compensationPlan(PARCEL.undoable, () => true);
    expect(plan).toEqual({ hold: 'pending', label: 'pending' });
    expect(nextCompensation(PARCEL.undoable, plan)).toBe('label');
    expect(nextCompensation(PARCEL.undoable, { ...plan, label: 'done' })).toBe('hold');
    expect(nextCompensation(PARCEL.undoable, { hold: 'done', label: 'done' })).toBeNull();

    const onlyHeld = compensationPlan(PARCEL.undoable, (step) => step === 'hold');
    expect(onlyHeld).toEqual({ hold: 'pending', label: 'skipped' });
    expect(nextCompensation(PARCEL.undoable, onlyHeld)).toBe('hold');
  });
});
