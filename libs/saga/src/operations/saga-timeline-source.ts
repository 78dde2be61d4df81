import type { TimelineEntry, TimelineSaga } from '@skald/contracts';
import type { TimelineSource } from '@skald/service-kit';
import type { DataSource } from 'typeorm';
import { isTerminal, type SagaDefinition } from '../definition/saga-definition.js';
import type { SagaStepKind } from '../persistence/saga.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface StepRow {
  at: Date;
  kind: SagaStepKind;
  message_type: string | null;
  message_id: string | null;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  trace_id: string | null;
  type: string;
}

interface SagaRow {
  id: string;
  type: string;
  state: string;
  deadline_at: Date | null;
  data: { stuck?: boolean };
}

/** States whose deadline compensates again: the saga is undoing what it did (cancelling). */
export function compensatingStates(definition: SagaDefinition<string>): string[] {
  return Object.entries(definition.states)
    .filter(([, spec]) => spec.onDeadline?.kind === 'compensate')
    .map(([state]) => state);
}

/**
 * The saga's own part of its timeline, from its row and step log (the saga id is the correlation
 * id): every state change, command sent, message received or ignored, timeout and compensation,
 * with the trace id it ran under; and the saga as it is now — state, deadline, what its table says
 * it waits for in that state (`waitsFor`), finished, stuck.
 */
export class SagaTimelineSource implements TimelineSource {
  private readonly definitions: Map<string, SagaDefinition<string>>;

  constructor(
    private readonly service: string,
    private readonly dataSource: DataSource,
    definitions: ReadonlyArray<SagaDefinition<string>>,
  ) {
    this.definitions = new Map(definitions.map((definition) => [definition.type, definition]));
  }

  async entriesFor(correlationId: string): Promise<TimelineEntry[]> {
    if (!UUID.test(correlationId)) return [];
    const rows = await this.dataSource.query<StepRow[]>(
      `SELECT st.at, st.kind, st.message_type, st.message_id, st.from_state, st.to_state, st.reason, st.trace_id, s.type
         FROM saga_step st JOIN saga s ON s.id = st.saga_id
        WHERE st.saga_id = $1 AND s.type = ANY($2) ORDER BY st.id LIMIT 1000`,
      [correlationId, [...this.definitions.keys()]],
    );
    return rows.map((row) => this.entryOf(row));
  }

  async sagasFor(correlationId: string): Promise<TimelineSaga[]> {
    if (!UUID.test(correlationId)) return [];
    const rows = await this.dataSource.query<SagaRow[]>(`SELECT id, type, state, deadline_at, data FROM saga WHERE id = $1 AND type = ANY($2)`, [
      correlationId,
      [...this.definitions.keys()],
    ]);
    return rows.map((row) => {
      const definition = this.definitions.get(row.type) as SagaDefinition<string>;
      const finished = isTerminal(definition, row.state);
      return {
        id: row.id,
        type: row.type,
        state: row.state,
        ...(row.deadline_at ? { deadline: new Date(row.deadline_at).toISOString() } : {}),
        ...(finished ? {} : { waitingFor: [definition.states[row.state].waitsFor] }),
        finished,
        ...(row.data?.stuck ? { stuck: true } : {}),
      };
    });
  }

  private entryOf(row: StepRow): TimelineEntry {
    const base = {
      at: new Date(row.at).toISOString(),
      service: this.service,
      ...(row.message_id ? { messageId: row.message_id } : {}),
      ...(row.message_type ? { routingKey: row.message_type } : {}),
      ...(row.trace_id ? { traceId: row.trace_id } : {}),
    };
    const because = row.reason ? `: ${row.reason}` : '';
    const compensating = compensatingStates(this.definitions.get(row.type) as SagaDefinition<string>);
    switch (row.kind) {
      case 'state_changed':
        return {
          ...base,
          kind: 'saga.state',
          summary: `${row.type} saga ${row.from_state ?? '?'} → ${row.to_state ?? '?'}${because}`,
          ...(row.to_state && compensating.includes(row.to_state) ? { failure: true } : {}),
          detail: { from: row.from_state, to: row.to_state, ...(row.reason ? { reason: row.reason } : {}) },
        };
      case 'command_sent':
      case 'event_sent':
        return {
          ...base,
          kind: 'saga.command',
          summary: `${row.message_type ?? 'message'} sent${because}`,
          detail: { sent: row.kind === 'command_sent' ? 'command' : 'event', state: row.from_state },
        };
      case 'message_received': {
        const ignored = row.reason?.startsWith('ignored') ?? false;
        return {
          ...base,
          kind: 'saga.received',
          summary: `${row.message_type ?? 'message'} ${ignored ? row.reason : `received in ${row.from_state ?? '?'}`}`,
          detail: { state: row.from_state, ...(ignored ? { ignored: true } : {}) },
        };
      }
      case 'timeout':
        return { ...base, kind: 'saga.timeout', summary: `deadline passed in ${row.from_state ?? '?'}${because}`, detail: { state: row.from_state } };
      case 'compensation':
        return {
          ...base,
          kind: 'saga.compensation',
          summary: `compensation${row.message_type ? ` ${row.message_type}` : ''}${because}`,
          failure: true,
          detail: { state: row.from_state },
        };
      default:
        return { ...base, kind: 'saga.state', summary: `${row.kind}${because}` };
    }
  }
}
