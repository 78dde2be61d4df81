import { parseArgs } from 'node:util';
import type { SagaListState, SagaPage } from '@skald/contracts';
import { UsageError, type CliIo } from '../cli-io.js';
import type { GatewayApi } from './gateway-api.js';
import { alignColumns, clock, cut, paint, type Cell, type Style } from './terminal.js';

// @skald/contracts' SAGA_LIST_STATES, not imported: loading the contracts (class-validator and all)
// would add a third of a second to every call of a command on-call runs by hand.
const SAGA_LIST_STATES = ['stuck', 'compensating', 'failed'] as const satisfies readonly SagaListState[];

type SagaListAnswer = SagaPage & { gaps: Array<{ service: string; code: string; detail: string }> };

/**
 * `skald sagas stuck|compensating|failed [--since <date-time>] [--limit n] [--cursor c]`: the
 * sagas that need a look, newest change first, one line each; the next page's command when there is one.
 */
export async function sagas(args: string[], api: GatewayApi, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { since: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [state, ...rest] = positionals;
  if (!SAGA_LIST_STATES.includes(state as SagaListState) || rest.length > 0) {
    throw new UsageError(`sagas needs one of ${SAGA_LIST_STATES.join('|')}${state ? ` (got ${positionals.join(' ')})` : ''}`);
  }
  const query = new URLSearchParams({ state });
  if (values.since !== undefined) {
    if (Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since "${values.since}" is not a date-time (2026-12-07T00:00:00Z)`);
    query.set('since', new Date(values.since).toISOString());
  }
  if (values.limit !== undefined) {
    if (!/^\d{1,3}$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > 100) throw new UsageError('--limit must be 1 to 100');
    query.set('limit', values.limit);
  }
  if (values.cursor !== undefined) query.set('cursor', values.cursor);
  const answer = await api.get<SagaListAnswer>(`/v1/sagas?${query.toString()}`);
  for (const line of sagaListLines(state as SagaListState, answer, io)) io.out(line);
  if (answer.nextCursor) io.out(`more: skald sagas ${state}${values.since ? ` --since ${values.since}` : ''} --cursor ${answer.nextCursor}`);
  return 0;
}

/** The lines `sagas` prints for a page. */
export function sagaListLines(state: SagaListState, answer: SagaListAnswer, io: CliIo): string[] {
  const style = paint(io);
  const lines: string[] = [];
  if (answer.sagas.length === 0) lines.push(`no ${state} sagas`);
  else {
    const failed = state === 'failed';
    const header = failed ? ['SAGA', 'SERVICES', 'LAST DEAD LETTER', 'COUNT', 'LAST REASON'] : ['SAGA', 'TYPE', 'STATE', 'SERVICE', 'CHANGED', 'DEADLINE', 'WAITING FOR'];
    const rows: Cell[][] = [header.map((text) => ({ text, styles: ['bold'] as Style[] }))];
    for (const saga of answer.sagas) {
      rows.push(
        failed
          ? [
              { text: saga.id },
              { text: saga.service },
              { text: clock(saga.updatedAt), styles: ['grey'] },
              { text: String(saga.deadLetters ?? 0), styles: ['red'] },
              { text: cut(saga.lastReason ?? '', 60) },
            ]
          : [
              { text: saga.id },
              { text: saga.type ?? '' },
              { text: `${saga.state ?? ''}${saga.stuck ? ' (stuck)' : ''}`, styles: saga.stuck ? ['red'] : [] },
              { text: saga.service },
              { text: clock(saga.updatedAt), styles: ['grey'] },
              { text: saga.deadline ? clock(saga.deadline) : '', styles: saga.deadline && Date.parse(saga.deadline) < Date.now() ? ['red'] : [] },
              { text: cut((saga.waitingFor ?? []).join('; '), 60) },
            ],
      );
    }
    lines.push(...alignColumns(rows, style));
  }
  for (const gap of answer.gaps) lines.push(style(`GAP  ${gap.service}: ${gap.code} — ${gap.detail} (its sagas are missing above)`, 'red'));
  return lines;
}
