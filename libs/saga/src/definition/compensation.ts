/**
 * Compensation in reverse order of the completed steps. A saga lists the steps that leave
 * something to undo (`undoable`, in the order it does them); when it compensates, each is
 * `skipped` (never done), `pending` (to undo, or undone and not yet confirmed) or `done`. The next
 * compensation to send is the last undoable step still pending; when none is, compensation is over.
 */
export type CompensationStatus = 'skipped' | 'pending' | 'done';

export type CompensationStatuses<C extends string> = { [K in C]: CompensationStatus };

/** The step to undo now (the latest pending one in the saga's order), or null when all are undone. */
export function nextCompensation<C extends string>(undoable: readonly C[], statuses: CompensationStatuses<C>): C | null {
  for (let i = undoable.length - 1; i >= 0; i -= 1) {
    if (statuses[undoable[i]] === 'pending') return undoable[i];
  }
  return null;
}

/** What a compensation starts with: the steps the saga did are pending, the others skipped. */
export function compensationPlan<C extends string>(undoable: readonly C[], done: (step: C) => boolean): CompensationStatuses<C> {
  return Object.fromEntries(undoable.map((step) => [step, done(step) ? 'pending' : 'skipped'])) as CompensationStatuses<C>;
}
