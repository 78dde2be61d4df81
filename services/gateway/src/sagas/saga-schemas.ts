import type { SchemaObject } from '@nestjs/swagger';
import { SAGA_LIST_STATES } from '@skald/contracts';

const string: SchemaObject = { type: 'string' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const integer: SchemaObject = { type: 'integer' };
const strings: SchemaObject = { type: 'array', items: string };
const SERVICES = ['gateway', 'orders', 'inventory', 'warehouse', 'returns', 'notifications'];
const ENTRY_KINDS = [
  'saga.state',
  'saga.command',
  'saga.received',
  'saga.timeout',
  'saga.compensation',
  'message.handled',
  'message.published',
  'message.dead-lettered',
  'message.replayed',
  'message.discarded',
  'notification',
];

const GAP_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'A service whose part is missing: down, too slow (2 s) or answering an error. Its steps may be missing from `entries`.',
  required: ['service', 'code', 'detail'],
  properties: {
    service: { type: 'string', enum: SERVICES },
    code: { type: 'string', enum: ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_BAD_RESPONSE'] },
    detail: string,
  },
};

const SAGA_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['id', 'type', 'state', 'finished', 'service'],
  properties: {
    id: { ...string, format: 'uuid' },
    type: { ...string, example: 'order' },
    state: { ...string, example: 'fulfilling' },
    service: { type: 'string', enum: SERVICES },
    deadline: dateTime,
    waitingFor: strings,
    finished: { type: 'boolean' },
    stuck: { type: 'boolean' },
  },
};

export const SAGA_TIMELINE_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Every service’s records of the saga, merged and time-ordered, ending with what it waits for now.',
  required: ['ref', 'correlationId', 'entries', 'sagas', 'gaps', 'pending'],
  properties: {
    ref: { ...string, description: 'The id or RMA number asked for.' },
    correlationId: { ...string, description: "The saga's correlation id (the order's or the return's id)." },
    orderId: { ...string, format: 'uuid', description: "A return's order (its own saga: ask for it to see that one)." },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'service', 'kind', 'summary'],
        properties: {
          at: dateTime,
          service: { type: 'string', enum: SERVICES },
          kind: { type: 'string', enum: ENTRY_KINDS },
          summary: string,
          messageId: string,
          routingKey: string,
          handler: string,
          attempts: integer,
          durationMs: integer,
          traceId: { ...string, pattern: '^[0-9a-f]{32}$' },
          failure: { type: 'boolean', description: 'Failures, dead letters and compensations.' },
          detail: { type: 'object', additionalProperties: true },
        },
      },
    },
    sagas: { type: 'array', items: SAGA_SCHEMA },
    gaps: { type: 'array', items: GAP_SCHEMA },
    pending: {
      type: 'object',
      nullable: true,
      description: 'What the saga waits for now and until when; null once it finished.',
      required: ['sagaId', 'type', 'state', 'waitingFor', 'overdue'],
      properties: {
        sagaId: { ...string, format: 'uuid' },
        type: string,
        state: string,
        waitingFor: strings,
        deadline: dateTime,
        overdue: { type: 'boolean', description: 'The deadline has passed.' },
        stuck: { type: 'boolean' },
      },
    },
  },
};

export const SAGA_PAGE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['sagas', 'gaps'],
  properties: {
    sagas: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'service', 'updatedAt'],
        properties: {
          id: { ...string, description: "The saga's correlation id." },
          type: string,
          state: string,
          service: { ...string, description: 'The service running it, or (failed) those holding its dead letters, comma-separated.' },
          deadline: dateTime,
          stuck: { type: 'boolean' },
          waitingFor: strings,
          updatedAt: { ...dateTime, description: 'Last change (failed: the last dead letter).' },
          deadLetters: integer,
          lastReason: string,
        },
      },
    },
    nextCursor: { ...string, description: 'Absent on the last page.' },
    gaps: { type: 'array', items: GAP_SCHEMA },
    state: { type: 'string', enum: [...SAGA_LIST_STATES] },
  },
};
