import { Injectable } from '@nestjs/common';
import type { TimelineEntry } from '@skald/contracts';
import type { TimelineSource } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import type { DeliveryChannel, DeliveryStatus } from './delivery.entity.js';

interface Row {
  id: string;
  channel: DeliveryChannel;
  target: string;
  topic: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  subject: string | null;
  event: string | null;
}

/** An address for an on-call screen: enough to tell two apart, not enough to be personal data in a terminal. */
export function maskTarget(channel: DeliveryChannel, target: string): string {
  if (channel === 'webhook') return `subscription ${target}`;
  if (channel === 'sms') return `…${target.replace(/\D/g, '').slice(-3)}`;
  const at = target.lastIndexOf('@');
  return at > 0 ? `${target[0]}…${target.slice(at)}` : '…';
}

/**
 * The notifications part of a saga's timeline: every e-mail, SMS and webhook delivery caused by
 * the saga's messages (delivery.correlation_id, indexed), with its status and attempts; a failed
 * one is drawn red.
 */
@Injectable()
export class DeliveryTimelineSource implements TimelineSource {
  constructor(private readonly dataSource: DataSource) {}

  async entriesFor(correlationId: string): Promise<TimelineEntry[]> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT id, channel, target, topic, status, attempts, last_error, created_at, sent_at,
              payload->>'subject' AS subject, payload->'body'->>'type' AS event
         FROM delivery WHERE correlation_id = $1 ORDER BY created_at, channel, id LIMIT 500`,
      [correlationId],
    );
    return rows.map((row) => {
      const what = row.channel === 'email' ? `e-mail "${row.subject ?? ''}"` : row.channel === 'sms' ? 'SMS' : `webhook ${row.event ?? ''}`.trim();
      return {
        at: new Date(row.created_at).toISOString(),
        service: 'notifications',
        kind: 'notification' as const,
        summary: `${what} to ${maskTarget(row.channel, row.target)}: ${row.status}`,
        attempts: row.attempts,
        ...(row.status === 'failed' ? { failure: true } : {}),
        detail: {
          deliveryId: row.id,
          channel: row.channel,
          status: row.status,
          ...(row.sent_at ? { sentAt: new Date(row.sent_at).toISOString() } : {}),
          ...(row.last_error ? { lastError: row.last_error } : {}),
        },
      };
    });
  }
}
