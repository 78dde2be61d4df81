/**
 * A saga declared as data: its states, what each state accepts, where it may go next, how long
 * it waits and what its deadline does. One such table per saga (the order saga, the return saga)
 * is the file a newcomer reads to know the saga; the functions below are the mechanism's pure
 * decisions on it, shared by every saga.
 */

/** What the scheduler does when a waiting state's deadline passes. */
export type DeadlineRule<S extends string> =
  /** Re-send the command the saga waits on (back-off); after the last re-send give up with `code`. */
  | { kind: 'resend'; giveUp: string }
  /** Give up waiting: the saga is cancelled (compensated) with `code`. */
  | { kind: 'cancel'; code: string; reason: string }
  /** Waiting longer changes nothing: move on to `to` (e.g. shipped and never confirmed → completed). */
  | { kind: 'complete'; to: S; reason: string }
  /** A compensation is never given up: re-sent with back-off, shown as stuck after the last re-send. */
  | { kind: 'compensate' }
  /** Depends on the saga's data: the saga's own pure function decides (named in its table's file). */
  | { kind: 'decide' };

export interface SagaStateSpec<S extends string, T extends string, W extends string> {
  /** What the saga is waiting for in this state, in words (operators, the saga timeline). */
  waitsFor: string;
  /** The triggers (message types, requests) a step acts on in this state; anything else is logged and ignored. */
  accepts: readonly T[];
  /** States this one may move to (staying in the same state is always allowed). Empty: terminal. */
  next: readonly S[];
  /** Which of the saga's timeouts bounds the wait here; absent for a terminal state. */
  waits?: W;
  /** What happens when that wait is over. */
  onDeadline?: DeadlineRule<S>;
}

export interface SagaDefinition<S extends string, T extends string = string, W extends string = string, C extends string = string> {
  /** The saga's type, stored on its row (`order`, `return`). */
  type: string;
  initial: S;
  states: { readonly [K in S]: SagaStateSpec<S, T, W> };
  /**
   * The steps that leave something to undo, in the order the saga does them. Compensation undoes
   * them in reverse order, one at a time (see `nextCompensation`).
   */
  undoable: readonly C[];
}

/** Declares a saga and checks its table once, at load: a broken table fails at start, not at 3 a.m. */
export function defineSaga<S extends string, T extends string, W extends string, C extends string>(definition: SagaDefinition<S, T, W, C>): SagaDefinition<S, T, W, C> {
  const problems = tableProblems(definition);
  if (problems.length > 0) throw new Error(`saga ${definition.type}: ${problems.join('; ')}`);
  return definition;
}

/** What is wrong with a saga's table: unknown targets, a waiting state without deadline, a terminal one with. */
export function tableProblems<S extends string>(definition: SagaDefinition<S>): string[] {
  const problems: string[] = [];
  const states = Object.keys(definition.states) as S[];
  if (!states.includes(definition.initial)) problems.push(`initial state ${definition.initial} is not declared`);
  for (const state of states) {
    const spec = definition.states[state];
    for (const target of spec.next) if (!states.includes(target)) problems.push(`${state} → ${target}: no such state`);
    const terminal = spec.next.length === 0;
    if (!terminal && (!spec.waits || !spec.onDeadline)) problems.push(`${state} waits without a deadline (waits and onDeadline are required)`);
    if (terminal && (spec.waits || spec.onDeadline)) problems.push(`${state} is terminal but has a deadline`);
    if (spec.onDeadline?.kind === 'complete' && !spec.next.includes(spec.onDeadline.to)) problems.push(`${state}: its deadline completes to ${spec.onDeadline.to}, which it may not move to`);
  }
  return problems;
}

export function isTerminal<S extends string>(definition: SagaDefinition<S>, state: S): boolean {
  return definition.states[state].next.length === 0;
}

export function terminalStates<S extends string>(definition: SagaDefinition<S>): S[] {
  return (Object.keys(definition.states) as S[]).filter((state) => isTerminal(definition, state));
}

/** May the saga move from `from` to `to`? Staying is always allowed. */
export function canMove<S extends string>(definition: SagaDefinition<S>, from: S, to: S): boolean {
  return from === to || definition.states[from].next.includes(to);
}

/** Does a step act on `trigger` in `state`? (Otherwise it is a duplicate or late message: logged, no effect.) */
export function accepts<S extends string, T extends string>(definition: SagaDefinition<S, T>, state: S, trigger: T): boolean {
  return definition.states[state].accepts.includes(trigger);
}

/** The states in which `trigger` is acted on. */
export function statesAccepting<S extends string, T extends string>(definition: SagaDefinition<S, T>, trigger: T): S[] {
  return (Object.keys(definition.states) as S[]).filter((state) => accepts(definition, state, trigger));
}

/** A move the table does not allow: a defect in the saga's code, never a message's fault. */
export class IllegalSagaTransition extends Error {
  constructor(type: string, id: string, from: string, to: string) {
    super(`${type} saga ${id}: ${from} → ${to} is not in its transition table`);
    this.name = 'IllegalSagaTransition';
  }
}
