import type { TimelineEntry } from '@skald/contracts';
import type { DataSource } from 'typeorm';
import { DeadLetterRecords } from './dead-letter-records.js';

/** More than a saga ever dead-letters; a bound on what one timeline reads. */
const MAX_PER_SAGA = 500;

/**
 * A service's dead letters as saga timeline entries: `message.dead-lettered` (a failure, with the
 * reason, error and attempts), then each operator's `message.replayed` / `message.discarded` (who,
 * why). From the service's records only: a message the broker dead-lettered itself is not on it.
 */
export class DeadLetterTimelineSource {
  private readonly records: DeadLetterRecords;

  constructor(
    private readonly service: string,
    dataSource: DataSource,
  ) {
    this.records = new DeadLetterRecords(dataSource);
  }

  async entriesFor(correlationId: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    for (const record of await this.records.ofCorrelation(correlationId, MAX_PER_SAGA)) {
      const common = { service: this.service, messageId: record.messageId, routingKey: record.routingKey, traceId: record.traceId };
      entries.push({
        ...common,
        at: record.deadLetteredAt,
        kind: 'message.dead-lettered',
        summary: `${record.routingKey} dead-lettered after ${record.attempts} attempt(s): ${record.reason}`,
        attempts: record.attempts,
        failure: true,
        detail: { reason: record.reason, error: record.error, status: record.status },
      });
      for (const action of record.actions) {
        entries.push({
          ...common,
          at: action.at,
          kind: action.action === 'replayed' ? 'message.replayed' : 'message.discarded',
          summary: `${record.routingKey} ${action.action} by ${action.by}${action.reason ? `: ${action.reason}` : ''}`,
          detail: { by: action.by, ...(action.reason ? { reason: action.reason } : {}) },
        });
      }
    }
    return entries.sort((a, b) => a.at.localeCompare(b.at));
  }
}
