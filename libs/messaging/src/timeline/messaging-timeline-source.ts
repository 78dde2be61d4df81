import type { TimelineEntry } from '@skald/contracts';
import type { DataSource } from 'typeorm';

/** Records of one saga a timeline shows at most per table: a saga has dozens; this bounds a runaway loop's. */
const MAX_RECORDS = 500;

interface InboxRow {
  message_id: string;
  routing_key: string;
  handler: string | null;
  attempts: number | null;
  duration_ms: number | null;
  trace_id: string | null;
  processed_at: Date;
}

interface OutboxRow {
  id: string;
  routing_key: string;
  exchange: string;
  created_at: Date;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
  traceparent: string | null;
}

/** The trace id of a W3C `traceparent` header (`00-<trace id>-<span id>-<flags>`), if it is one. */
export function traceIdOfTraceparent(traceparent: string | null | undefined): string | undefined {
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '');
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}

/**
 * A service's inbox and outbox records of one correlation id, as saga timeline entries: every
 * message it handled (handler, attempt, duration, trace id) and every message it wrote to the
 * outbox (published or not yet). Both tables are indexed on correlation_id. Records older than the
 * inbox and outbox retentions (30 and 7 days) are gone.
 */
export class MessagingTimelineSource {
  constructor(
    private readonly service: string,
    private readonly dataSource: DataSource,
  ) {}

  async entriesFor(correlationId: string): Promise<TimelineEntry[]> {
    const [handled, written] = await Promise.all([
      this.dataSource.query<InboxRow[]>(
        `SELECT message_id, routing_key, handler, attempts, duration_ms, trace_id, processed_at
           FROM inbox_message WHERE correlation_id = $1 ORDER BY processed_at LIMIT ${MAX_RECORDS}`,
        [correlationId],
      ),
      this.dataSource.query<OutboxRow[]>(
        `SELECT id, routing_key, exchange, created_at, sent_at, attempts, last_error, headers->>'traceparent' AS traceparent
           FROM outbox_message WHERE correlation_id = $1 ORDER BY seq LIMIT ${MAX_RECORDS}`,
        [correlationId],
      ),
    ]);
    return [...handled.map((row) => this.handledEntry(row)), ...written.map((row) => this.publishedEntry(row))];
  }

  private handledEntry(row: InboxRow): TimelineEntry {
    return withoutUndefined({
      at: new Date(row.processed_at).toISOString(),
      service: this.service,
      kind: 'message.handled' as const,
      summary: `${row.routing_key} handled${row.handler ? ` by ${row.handler}` : ''}${row.attempts && row.attempts > 1 ? ` (attempt ${row.attempts})` : ''}`,
      messageId: row.message_id,
      routingKey: row.routing_key,
      handler: row.handler ?? undefined,
      attempts: row.attempts ?? undefined,
      durationMs: row.duration_ms ?? undefined,
      traceId: row.trace_id ?? undefined,
    });
  }

  private publishedEntry(row: OutboxRow): TimelineEntry {
    const sent = row.sent_at !== null;
    return withoutUndefined({
      at: new Date(row.created_at).toISOString(),
      service: this.service,
      kind: 'message.published' as const,
      summary: `${row.routing_key} ${sent ? 'published' : 'written, not yet published'}`,
      messageId: row.id,
      routingKey: row.routing_key,
      attempts: row.attempts > 0 ? row.attempts : undefined,
      traceId: traceIdOfTraceparent(row.traceparent),
      failure: !sent && row.last_error !== null ? true : undefined,
      detail: withoutUndefined({
        exchange: row.exchange,
        sentAt: sent ? new Date(row.sent_at as Date).toISOString() : undefined,
        lastError: row.last_error ?? undefined,
      }),
    });
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
