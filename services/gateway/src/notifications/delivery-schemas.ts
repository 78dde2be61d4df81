import type { SchemaObject } from '@nestjs/swagger';
import { page, resource } from '../http/upstream-schemas.js';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from './dto/list-deliveries.query.js';

// Answers of the notifications service as operators rely on them (it may add fields; see upstream-schemas).

const string: SchemaObject = { type: 'string' };
const nullableString: SchemaObject = { type: 'string', nullable: true };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const nullableDateTime: SchemaObject = { ...dateTime, nullable: true };
const integer: SchemaObject = { type: 'integer' };

const attempt = resource('One try to send.', {
  attempt: integer,
  at: { ...dateTime, description: 'When the attempt started.' },
  durationMs: { ...integer, nullable: true },
  outcome: { type: 'string', example: 'sent', description: 'sent, retry or failed.' },
  detail: { ...nullableString, description: 'SMTP reply, HTTP status and body, or the error.' },
  retryAt: { ...nullableDateTime, description: 'When the next attempt was scheduled.' },
});

export const DELIVERY_PAGE_SCHEMA = page(
  'Deliveries, newest first.',
  resource('An e-mail, SMS or signed webhook caused by an event, with every attempt to send it.', {
    id: { type: 'string', format: 'uuid', description: 'Also the webhook-id a receiver deduplicates on.' },
    sourceMessageId: { type: 'string', format: 'uuid', description: 'The message that caused the delivery.' },
    channel: { type: 'string', enum: [...DELIVERY_CHANNELS] },
    target: { ...string, description: 'E-mail address, phone number or webhook subscription id.' },
    topic: { ...string, description: 'What within the source message the delivery is about (an outbound note id), or empty.' },
    tenantId: nullableString,
    orderId: nullableString,
    payload: { type: 'object', additionalProperties: true, description: 'E-mail {subject, text, html}, SMS {body} or webhook {body}.' },
    status: { type: 'string', enum: [...DELIVERY_STATUSES] },
    attemptCount: integer,
    nextAttemptAt: { ...nullableDateTime, description: 'Next attempt (or end of the current claim).' },
    lastError: nullableString,
    createdAt: dateTime,
    sentAt: nullableDateTime,
    attempts: { type: 'array', items: attempt },
  }),
);
