import { BadRequestException, Injectable } from '@nestjs/common';
import { SkaldError, type SagaPage, type SagaSummary, type ServiceDeadLetters, type ServiceTimeline, type TimelineEntry, type TimelineSaga } from '@skald/contracts';
import { encodeTimeIdCursor, ServiceTimelines, sortTimeline, type Caller } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { UpstreamClient, type UpstreamName } from '../upstream/upstream-client.js';
import { RMA_PATTERN } from './dto/saga-queries.dto.js';

/** How long the fan-out waits for each service: on-call wants an answer now, with a gap, rather than later. */
export const SAGA_FANOUT_TIMEOUT_MS = 2_000;

const UPSTREAMS: UpstreamName[] = ['orders', 'inventory', 'warehouse', 'returns', 'notifications'];
/** The services that run sagas and list them (`GET /internal/sagas`). */
const SAGA_RUNNERS: UpstreamName[] = ['orders', 'returns'];
/** Dead letters asked of each service for `state=failed` (the newest). */
const DEAD_LETTERS_PER_SERVICE = 500;

/** A service whose part is missing. */
export interface Gap {
  service: string;
  code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT' | 'UPSTREAM_BAD_RESPONSE';
  detail: string;
}

export interface PendingStep {
  sagaId: string;
  type: string;
  state: string;
  waitingFor: string[];
  deadline?: string;
  overdue: boolean;
  stuck?: boolean;
}

export interface SagaTimelineView {
  ref: string;
  correlationId: string;
  orderId?: string;
  entries: TimelineEntry[];
  sagas: Array<TimelineSaga & { service: string }>;
  gaps: Gap[];
  pending: PendingStep | null;
}

export interface SagaListView extends SagaPage {
  state: string;
  gaps: Gap[];
}

export interface SagaListRequest {
  state: 'stuck' | 'compensating' | 'failed';
  since?: string;
  limit?: number;
  cursor?: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; gap: Gap };

/** The list cursor: the last item's (updatedAt, id), as the services' own (encodeTimeIdCursor). */
function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const time = new Date(at);
    if (Number.isNaN(time.getTime()) || typeof id !== 'string' || id.length === 0 || id.length > 128) throw new Error('bad cursor');
    return { at: time, id };
  } catch {
    throw new BadRequestException({ code: 'VALIDATION_FAILED', detail: 'Invalid cursor.', errors: [{ field: 'cursor', message: 'cursor is not one this API issued' }] });
  }
}

/** Newest first, then id descending: the order of every on-call list, so one cursor pages them all. */
function newestFirst(a: SagaSummary, b: SagaSummary): number {
  return b.updatedAt.localeCompare(a.updatedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function isBefore(item: SagaSummary, cursor: { at: Date; id: string }): boolean {
  const at = Date.parse(item.updatedAt);
  return at < cursor.at.getTime() || (at === cursor.at.getTime() && item.id < cursor.id);
}

/**
 * The saga timeline and the on-call lists, from every service's internal endpoints: each asked
 * at once, each given SAGA_FANOUT_TIMEOUT_MS; a service that is down, slow or failing becomes a
 * gap in the answer, never an error of the whole.
 */
@Injectable()
export class SagaTimelines {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly own: ServiceTimelines,
  ) {}

  /**
   * The merged timeline of an order's or a return's saga (an RMA number resolves to its return).
   * @throws SkaldError SAGA_NOT_FOUND when no service knows the id or the RMA number (the gaps say
   *         who could not be asked); UPSTREAM_* when the returns service cannot resolve an RMA number.
   */
  async timeline(ref: string, caller: Caller, correlationId: string): Promise<SagaTimelineView> {
    let sagaId = ref.toLowerCase();
    let orderId: string | undefined;
    if (RMA_PATTERN.test(ref)) {
      const found = await this.resolveRma(ref, caller, correlationId);
      sagaId = found.returnId;
      orderId = found.orderId;
    }
    const path = `/internal/timeline/${encodeURIComponent(sagaId)}`;
    const parts = await Promise.all([
      ...UPSTREAMS.map((name) => this.ask<ServiceTimeline>(name, path, caller, correlationId)),
      // The gateway's own part (its outbox and inbox): its database being away is a gap too.
      this.own.timeline(sagaId).then(
        (value): Outcome<ServiceTimeline> => ({ ok: true, value }),
        (error: Error): Outcome<ServiceTimeline> => ({ ok: false, gap: { service: 'gateway', code: 'UPSTREAM_UNAVAILABLE', detail: `its database: ${error.message}` } }),
      ),
    ]);
    const timelines = parts.flatMap((part) => (part.ok ? [part.value] : []));
    const gaps = parts.flatMap((part) => (part.ok ? [] : [part.gap]));
    const entries = sortTimeline(timelines.flatMap((part) => part.entries ?? []));
    const sagas = timelines.flatMap((part) => (part.sagas ?? []).map((saga) => ({ ...saga, service: part.service })));
    if (entries.length === 0 && sagas.length === 0) {
      throw new SkaldError('SAGA_NOT_FOUND', `No service knows a saga ${ref}.`, { retryable: false, details: gaps.length > 0 ? { gaps } : undefined });
    }
    return { ref, correlationId: sagaId, ...(orderId ? { orderId } : {}), entries, sagas, gaps, pending: pendingOf(sagas, sagaId) };
  }

  /** Sagas stuck, compensating (from the services that run sagas) or failed (with dead letters, from every service). */
  async list(query: SagaListRequest, caller: Caller, correlationId: string): Promise<SagaListView> {
    const limit = query.limit ?? 50;
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const merged = query.state === 'failed' ? await this.failed(query, caller, correlationId) : await this.running(query, cursor, limit, caller, correlationId);
    const sorted = merged.items.filter((item) => !cursor || isBefore(item, cursor)).sort(newestFirst);
    const page = sorted.slice(0, limit);
    const last = page.at(-1);
    const more = sorted.length > limit || merged.more;
    return {
      state: query.state,
      sagas: page,
      ...(more && last ? { nextCursor: Buffer.from(JSON.stringify([last.updatedAt, last.id])).toString('base64url') } : {}),
      gaps: merged.gaps,
    };
  }

  private async running(
    query: SagaListRequest,
    cursor: { at: Date; id: string } | undefined,
    limit: number,
    caller: Caller,
    correlationId: string,
  ): Promise<{ items: SagaSummary[]; more: boolean; gaps: Gap[] }> {
    const params = new URLSearchParams({ state: query.state, limit: String(limit) });
    if (query.since) params.set('since', new Date(query.since).toISOString());
    // The services page by the same (updated_at, id) key: the merged page's last item is where each goes on.
    if (cursor && /^[0-9a-f-]{36}$/.test(cursor.id)) params.set('cursor', encodeTimeIdCursor(cursor.at, cursor.id));
    const parts = await Promise.all(SAGA_RUNNERS.map((name) => this.ask<SagaPage>(name, `/internal/sagas?${params.toString()}`, caller, correlationId)));
    return {
      items: parts.flatMap((part) => (part.ok ? part.value.sagas : [])),
      more: parts.some((part) => part.ok && part.value.nextCursor !== undefined),
      gaps: parts.flatMap((part) => (part.ok ? [] : [part.gap])),
    };
  }

  /** Every service's newest dead letters, grouped by saga; the page and cursor are cut from them in `list`. */
  private async failed(
    query: SagaListRequest,
    caller: Caller,
    correlationId: string,
  ): Promise<{ items: SagaSummary[]; more: boolean; gaps: Gap[] }> {
    const since = query.since ? Date.parse(query.since) : undefined;
    const parts = await Promise.all(
      UPSTREAMS.map(async (name) => ({
        name,
        part: await this.ask<ServiceDeadLetters>(name, `/internal/dead-letters?limit=${DEAD_LETTERS_PER_SERVICE}`, caller, correlationId),
      })),
    );
    const bySaga = new Map<string, { services: Set<string>; count: number; last: string; reason?: string }>();
    for (const { name, part } of parts) {
      if (!part.ok) continue;
      for (const letter of part.value.deadLetters ?? []) {
        // A message without a correlation id (an unreadable envelope) belongs to no saga.
        if (!letter.correlationId) continue;
        // A message the broker dead-lettered itself has no known time: listed last (as of the epoch).
        const at = letter.deadLetteredAt && !Number.isNaN(Date.parse(letter.deadLetteredAt)) ? new Date(letter.deadLetteredAt).toISOString() : new Date(0).toISOString();
        if (since !== undefined && Date.parse(at) < since) continue;
        const saga = bySaga.get(letter.correlationId) ?? { services: new Set<string>(), count: 0, last: at };
        saga.services.add(name);
        saga.count += 1;
        if (at >= saga.last) {
          saga.last = at;
          saga.reason = letter.reason;
        }
        bySaga.set(letter.correlationId, saga);
      }
    }
    const items = [...bySaga.entries()].map(([id, saga]) => ({
      id,
      service: [...saga.services].sort().join(','),
      updatedAt: saga.last,
      deadLetters: saga.count,
      ...(saga.reason ? { lastReason: saga.reason } : {}),
    }));
    return { items, more: false, gaps: parts.flatMap(({ part }) => (part.ok ? [] : [part.gap])) };
  }

  private async resolveRma(rmaNumber: string, caller: Caller, correlationId: string): Promise<{ returnId: string; orderId?: string }> {
    const reply = await this.upstream.forward('returns', { method: 'GET', path: `/internal/rma/${rmaNumber}`, caller, correlationId, timeoutMs: SAGA_FANOUT_TIMEOUT_MS });
    if (reply.status === 404) throw new SkaldError('SAGA_NOT_FOUND', `No return has the RMA number ${rmaNumber}.`, { retryable: false });
    const body = reply.json() as { returnId?: string; orderId?: string } | undefined;
    if (reply.status !== 200 || !body?.returnId) throw new SkaldError('UPSTREAM_BAD_RESPONSE', 'The returns service could not resolve the RMA number.', { retryable: true });
    return { returnId: body.returnId, orderId: body.orderId };
  }

  /** One service's answer, or the gap it leaves. */
  private async ask<T>(name: UpstreamName, path: string, caller: Caller, correlationId: string): Promise<Outcome<T>> {
    let reply: Reply;
    try {
      reply = await this.upstream.forward(name, { method: 'GET', path, caller, correlationId, timeoutMs: SAGA_FANOUT_TIMEOUT_MS });
    } catch (error) {
      const code = error instanceof SkaldError && (error.code === 'UPSTREAM_TIMEOUT' || error.code === 'UPSTREAM_BAD_RESPONSE') ? error.code : 'UPSTREAM_UNAVAILABLE';
      return { ok: false, gap: { service: name, code, detail: error instanceof Error ? error.message : String(error) } };
    }
    if (reply.status !== 200) {
      const problem = reply.json() as { code?: string; detail?: string } | undefined;
      const code = reply.status === 503 ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_BAD_RESPONSE';
      return { ok: false, gap: { service: name, code, detail: `answered ${reply.status} ${problem?.code ?? ''} ${problem?.detail ?? ''}`.trim() } };
    }
    return { ok: true, value: reply.json() as T };
  }
}

/** What the saga asked for waits for now: its own saga (the id asked), unless finished. */
function pendingOf(sagas: TimelineSaga[], sagaId: string): PendingStep | null {
  const saga = sagas.find((candidate) => candidate.id === sagaId) ?? sagas[0];
  if (!saga || saga.finished) return null;
  return {
    sagaId: saga.id,
    type: saga.type,
    state: saga.state,
    waitingFor: saga.waitingFor ?? [],
    ...(saga.deadline ? { deadline: saga.deadline } : {}),
    overdue: saga.deadline !== undefined && Date.parse(saga.deadline) < Date.now(),
    ...(saga.stuck ? { stuck: true } : {}),
  };
}
