import type { SagaPage, SagaSummary } from '@skald/contracts';
import { decodeTimeIdCursor, encodeTimeIdCursor } from '@skald/service-kit';
import type { DataSource } from 'typeorm';
import { isTerminal, type SagaDefinition } from '../definition/saga-definition.js';
import { compensatingStates } from './saga-timeline-source.js';

/** A saga whose deadline passed longer ago than this is stuck: the scheduler acts on a due one within seconds. */
export const STUCK_GRACE_MS = 60_000;

export interface SagaListQuery {
  state: 'stuck' | 'compensating';
  /** Only sagas that changed at or after this time. */
  since?: Date;
  limit: number;
  cursor?: string;
}

interface Row {
  id: string;
  type: string;
  state: string;
  deadline_at: Date | null;
  updated_at: Date;
  data: { stuck?: boolean };
}

/**
 * The on-call lists of one service's sagas, newest change first, paged by (updated_at, id):
 * `stuck` — past their deadline by more than STUCK_GRACE_MS, or marked stuck by the scheduler
 * (a compensation that kept failing); `compensating` — in a state whose deadline compensates.
 * Each answers from an index (see SagaTimeline1764100000000) whatever the number of sagas.
 */
export class SagaLists {
  private readonly definitions: Map<string, SagaDefinition<string>>;

  constructor(
    private readonly service: string,
    private readonly dataSource: DataSource,
    definitions: ReadonlyArray<SagaDefinition<string>>,
  ) {
    this.definitions = new Map(definitions.map((definition) => [definition.type, definition]));
  }

  async list(query: SagaListQuery): Promise<SagaPage> {
    const types = [...this.definitions.keys()];
    const params: unknown[] = [types];
    const where: string[] = ['type = ANY($1)'];
    if (query.state === 'stuck') {
      const terminal = [...this.definitions.values()].flatMap((definition) => Object.keys(definition.states).filter((state) => isTerminal(definition, state)));
      params.push(STUCK_GRACE_MS, terminal);
      where.push(
        `((deadline_at IS NOT NULL AND deadline_at < now() - $${params.length - 1} * interval '1 millisecond') OR (data->>'stuck') = 'true')`,
        `state <> ALL($${params.length})`,
      );
    } else {
      params.push([...this.definitions.values()].flatMap((definition) => compensatingStates(definition)));
      where.push(`state = ANY($${params.length})`);
    }
    if (query.since) {
      params.push(query.since);
      where.push(`updated_at >= $${params.length}`);
    }
    if (query.cursor) {
      const after = decodeTimeIdCursor(query.cursor);
      params.push(after.createdAt, after.id);
      where.push(`(updated_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit + 1);
    const rows = await this.dataSource.query<Row[]>(
      `SELECT id, type, state, deadline_at, updated_at, data FROM saga WHERE ${where.join(' AND ')}
        ORDER BY updated_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      sagas: page.map((row) => this.summaryOf(row)),
      ...(rows.length > query.limit && last ? { nextCursor: encodeTimeIdCursor(last.updated_at, last.id) } : {}),
    };
  }

  private summaryOf(row: Row): SagaSummary {
    const definition = this.definitions.get(row.type) as SagaDefinition<string>;
    return {
      id: row.id,
      type: row.type,
      state: row.state,
      service: this.service,
      ...(row.deadline_at ? { deadline: new Date(row.deadline_at).toISOString() } : {}),
      stuck: row.data?.stuck === true || (row.deadline_at !== null && new Date(row.deadline_at).getTime() < Date.now() - STUCK_GRACE_MS),
      ...(isTerminal(definition, row.state) ? {} : { waitingFor: [definition.states[row.state].waitsFor] }),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}
