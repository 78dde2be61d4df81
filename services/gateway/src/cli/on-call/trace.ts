import { parseArgs } from 'node:util';
import type { TimelineEntry } from '@skald/contracts';
import { UsageError, type CliIo } from '../cli-io.js';
import type { GatewayApi } from './gateway-api.js';
import { alignColumns, clock, cut, duration, paint, type Cell, type Style } from './terminal.js';

/** The answer of `GET /v1/sagas/{ref}` as `trace` prints it. */
interface TimelineAnswer {
  ref: string;
  correlationId: string;
  orderId?: string;
  entries: TimelineEntry[];
  sagas: Array<{ id: string; type: string; state: string; service: string; finished: boolean }>;
  gaps: Array<{ service: string; code: string; detail: string }>;
  pending: { sagaId: string; type: string; state: string; waitingFor: string[]; deadline?: string; overdue: boolean; stuck?: boolean } | null;
}

const SERVICE_STYLES: Record<string, Style> = {
  gateway: 'blue',
  orders: 'cyan',
  inventory: 'green',
  warehouse: 'magenta',
  returns: 'yellow',
  notifications: 'blue',
};

const REF = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|RMA-\d{4}-\d{6,})$/i;

/**
 * `skald trace <orderId|returnId|rma>`: a saga's timeline from every service, one line a step in
 * aligned columns — time (UTC), time since the previous step, service, kind, summary, trace id
 * (first 8 hex) — failures in red, the services that could not be asked, and last what the saga
 * waits for now with its deadline.
 */
export async function trace(args: string[], api: GatewayApi, io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('trace needs exactly one <orderId|returnId|rma>');
  const [ref] = positionals;
  if (!REF.test(ref)) throw new UsageError(`trace: "${ref}" is not an order or return id, nor an RMA number (RMA-2026-000123)`);
  const answer = await api.get<TimelineAnswer>(`/v1/sagas/${encodeURIComponent(ref)}`);
  for (const line of traceLines(answer, io, Date.now())) io.out(line);
  return 0;
}

/** The lines `trace` prints for a timeline (`now` for the pending step's "in …"/"overdue by …"). */
export function traceLines(answer: TimelineAnswer, io: CliIo, now: number): string[] {
  const style = paint(io);
  const sagas = answer.sagas.map((saga) => `${saga.type} saga ${saga.state}${saga.finished ? ' (finished)' : ''} [${saga.service}]`).join('; ');
  const lines = [
    style(`Saga ${answer.ref}${answer.ref !== answer.correlationId ? ` (${answer.correlationId})` : ''}`, 'bold') + (sagas ? `  ${sagas}` : ''),
  ];
  if (answer.orderId) lines.push(`Order ${answer.orderId} (its own saga: skald trace ${answer.orderId})`);
  lines.push('');
  const rows: Cell[][] = [['TIME (UTC)', '+SINCE', 'SERVICE', 'KIND', 'SUMMARY', 'TRACE'].map((text) => ({ text, styles: ['bold'] as Style[] }))];
  let previous: number | undefined;
  for (const entry of answer.entries) {
    const at = Date.parse(entry.at);
    const took = entry.durationMs !== undefined ? ` (${duration(entry.durationMs)})` : '';
    const red: Style[] = entry.failure ? ['red'] : [];
    rows.push([
      { text: clock(entry.at), styles: ['grey'] },
      { text: previous === undefined ? '' : `+${duration(at - previous)}`, styles: ['grey'] },
      { text: entry.service, styles: [SERVICE_STYLES[entry.service] ?? 'bold'] },
      { text: entry.kind, styles: red },
      { text: cut(`${entry.summary}${took}`, 100), styles: red },
      { text: entry.traceId ? entry.traceId.slice(0, 8) : '', styles: ['grey'] },
    ]);
    previous = at;
  }
  lines.push(...alignColumns(rows, style));
  for (const gap of answer.gaps) {
    lines.push(style(`GAP      ${gap.service}: ${gap.code} — ${gap.detail} (its steps are missing above)`, 'red'));
  }
  const pending = answer.pending;
  if (pending) {
    const wait = pending.waitingFor.join('; ') || 'its next step';
    const until = pending.deadline
      ? ` until ${clock(pending.deadline)} (${pending.overdue ? `overdue by ${duration(now - Date.parse(pending.deadline))}` : `in ${duration(Date.parse(pending.deadline) - now)}`})`
      : '';
    const styles: Style[] = pending.overdue || pending.stuck ? ['red', 'bold'] : ['yellow', 'bold'];
    lines.push(style(`PENDING  ${pending.type} saga ${pending.state}: waits for ${wait}${until}${pending.stuck ? ' — STUCK' : ''}`, ...styles));
  } else {
    lines.push(style('DONE     the saga finished: nothing pending', 'green'));
  }
  return lines;
}
