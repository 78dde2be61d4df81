import { parseArgs } from 'node:util';
import type { DeadLetterDetail, DeadLetterReplay, DeadLetterView } from '@skald/contracts';
import { UsageError, type CliIo } from '../cli-io.js';
import type { GatewayApi } from './gateway-api.js';

const MESSAGE_ID = /^[\w.:-]{1,200}$/;
const SAGA = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|RMA-\d{4}-\d{6,})$/i;
const SERVICES = ['orders', 'inventory', 'warehouse', 'returns', 'notifications'];

interface Overview {
  correlationId?: string;
  services: Array<{ service: string; available: boolean; depth?: number; error?: string }>;
  deadLetters: DeadLetterView[];
}

interface Replays {
  replayed: DeadLetterReplay[];
  unavailable: string[];
}

const DLQ_USAGE = 'dlq list [service] [--saga <orderId|rma>] [--limit <n>] | dlq show <id> | dlq replay <id> | dlq replay --all-for <orderId|rma> | dlq discard <id> --reason "…"';

/**
 * `skald dlq …`: on-call's dead letters through the gateway (`/v1/dead-letters`). `list` shows
 * what is dead (and each queue's depth), `show` one message, `replay` puts one message, or every
 * dead letter of a saga (`--all-for`), back into its service's queue with its original id, and
 * `discard` drops one with a reason. The gateway records who did it.
 * @returns 0; 1 when the gateway refused, or a replay left out a service that did not answer.
 */
export async function dlq(args: string[], api: GatewayApi, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      saga: { type: 'string' },
      limit: { type: 'string' },
      service: { type: 'string' },
      'all-for': { type: 'string' },
      reason: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [verb, ...rest] = positionals;
  const only = (allowed: string[]) => {
    const given = Object.keys(values).filter((option) => !allowed.includes(option));
    if (given.length > 0) throw new UsageError(`dlq ${verb} does not take --${given.join(', --')}`);
  };
  const service = values.service === undefined ? '' : `?service=${encodeURIComponent(oneOf('service', values.service, SERVICES))}`;
  switch (verb) {
    case 'list': {
      only(['saga', 'limit']);
      if (rest.length > 1) throw new UsageError('dlq list takes at most one [service]');
      const query = new URLSearchParams();
      if (rest[0]) query.set('service', oneOf('service', rest[0], SERVICES));
      if (values.saga !== undefined) query.set('saga', saga(values.saga));
      if (values.limit !== undefined) {
        if (!/^\d{1,3}$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > 500) throw new UsageError('--limit must be 1 to 500');
        query.set('limit', values.limit);
      }
      const listed = await api.get<Overview>(`/v1/dead-letters${query.toString() ? `?${query}` : ''}`);
      printList(listed, io);
      return 0;
    }
    case 'show': {
      only(['service']);
      const detail = await api.get<DeadLetterDetail>(`/v1/dead-letters/${messageId(rest)}${service}`);
      printDetail(detail, io);
      return 0;
    }
    case 'replay': {
      only(['service', 'all-for']);
      if (values['all-for'] !== undefined) {
        if (rest.length > 0 || service) throw new UsageError('dlq replay --all-for <orderId|rma> takes no message id or --service');
        return printReplays(await api.post<Replays>('/v1/dead-letters/replay', { saga: saga(values['all-for']) }), io);
      }
      return printReplays(await api.post<Replays>(`/v1/dead-letters/${messageId(rest)}/replay${service}`, {}), io);
    }
    case 'discard': {
      only(['service', 'reason']);
      const reason = values.reason?.trim();
      if (!reason) throw new UsageError('dlq discard needs --reason "why the message is dropped"');
      if (reason.length > 500) throw new UsageError('--reason must be at most 500 characters');
      const discarded = await api.post<DeadLetterView>(`/v1/dead-letters/${messageId(rest)}/discard${service}`, { reason });
      io.out(`discarded ${discarded.messageId} in ${discarded.service}: ${reason}`);
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown dlq command: ${verb} (${DLQ_USAGE})` : `dlq needs a command: ${DLQ_USAGE}`);
  }
}

function oneOf(name: string, value: string, allowed: string[]): string {
  if (!allowed.includes(value)) throw new UsageError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value;
}

function saga(value: string): string {
  if (!SAGA.test(value)) throw new UsageError(`"${value}" is not an order id (uuid) or an RMA number (RMA-2026-000123)`);
  return encodeURIComponent(value);
}

function messageId(rest: string[]): string {
  if (rest.length !== 1) throw new UsageError('give exactly one message <id>');
  if (!MESSAGE_ID.test(rest[0])) throw new UsageError(`"${rest[0]}" is not a message id`);
  return encodeURIComponent(rest[0]);
}

/** Columns padded to their widest cell (the last one left ragged). */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '));
}

function printList(listed: Overview, io: CliIo): void {
  if (listed.deadLetters.length === 0) io.out(listed.correlationId ? `no dead letters for ${listed.correlationId}` : 'no dead letters');
  else {
    const rows = [['DEAD-LETTERED AT', 'SERVICE', 'STATUS', 'REASON', 'ATTEMPTS', 'ROUTING KEY', 'MESSAGE ID', 'CORRELATION ID']];
    for (const letter of listed.deadLetters) {
      rows.push([
        letter.deadLetteredAt ?? '?',
        letter.service,
        letter.status,
        letter.reason,
        String(letter.attempts),
        letter.routingKey,
        letter.messageId,
        letter.correlationId ?? '-',
      ]);
    }
    for (const line of table(rows)) io.out(line);
  }
  const depths = listed.services.map((state) => (state.available ? `${state.service} ${state.depth}` : `${state.service} unavailable (${state.error})`));
  io.out(`queue depth: ${depths.join(' · ')}`);
}

function printDetail(detail: DeadLetterDetail, io: CliIo): void {
  const fields: Array<[string, unknown]> = [
    ['message id', detail.messageId],
    ['service', detail.service],
    ['routing key', detail.routingKey],
    ['correlation id', detail.correlationId],
    ['tenant id', detail.tenantId],
    ['status', `${detail.status}${detail.inQueue ? ' (in the dead-letter queue)' : ''}${detail.recorded ? '' : ' (dead-lettered by the broker)'}`],
    ['reason', detail.reason],
    ['error', detail.error],
    ['attempts', detail.attempts],
    ['dead-lettered at', detail.deadLetteredAt],
    ['trace id', detail.traceId],
  ];
  for (const line of table(fields.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => [`${name}:`, String(value)]))) io.out(line);
  for (const action of detail.actions) io.out(`${action.action} by ${action.by} at ${action.at}${action.reason ? `: ${action.reason}` : ''}`);
  if (detail.headers) io.out(`headers: ${JSON.stringify(detail.headers, null, 2)}`);
  if (detail.body !== undefined) io.out(`body: ${JSON.stringify(detail.body, null, 2)}`);
}

function printReplays(replays: Replays, io: CliIo): number {
  let count = 0;
  for (const { service, replayed } of replays.replayed) {
    for (const id of replayed) io.out(`replayed ${id} in ${service}`);
    count += replayed.length;
  }
  io.out(`${count} message(s) replayed`);
  if (replays.unavailable.length === 0) return 0;
  io.err(`skald: not replayed in ${replays.unavailable.join(', ')} (did not answer); run it again once they are back`);
  return 1;
}
