import type { SchemaObject } from '@nestjs/swagger';
import { RETURN_STATUSES } from '@skald/contracts';
import { page, resource } from '../http/upstream-schemas.js';
import { RETURN_ANALYTICS_GROUPS } from './dto/return-analytics.dto.js';
import { RETURN_RESOLUTIONS } from './dto/return-requests.dto.js';

// Answers of the returns service as clients rely on them (it may add fields; see upstream-schemas).

const string: SchemaObject = { type: 'string' };
const nullableString: SchemaObject = { type: 'string', nullable: true };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const integer: SchemaObject = { type: 'integer' };
const decimal: SchemaObject = { type: 'string', description: 'Decimal string.', example: '25.0000' };
const status: SchemaObject = { type: 'string', enum: [...RETURN_STATUSES] };
const rmaNumber: SchemaObject = { type: 'string', pattern: '^RMA-\\d{4}-\\d{6,}$', example: 'RMA-2026-000123', description: 'Readable over the phone.' };

export const RETURN_ACCEPTED_SCHEMA = resource('The return asked for: `approved` at once, or `requested` while it waits for a reviewer.', { id: uuid, rmaNumber, status });

export const RETURN_SCHEMA = resource(
  'A return (RMA) with its lines and where it stands.',
  {
    id: uuid,
    rmaNumber,
    status,
    orderId: uuid,
    externalId: { ...string, description: "The order's id on the platform." },
    platformId: string,
    resolution: { type: 'string', enum: [...RETURN_RESOLUTIONS] },
    lines: { type: 'array', items: resource('A returned line.', { sku: string, quantity: integer, reasonCode: string, comment: nullableString }) },
    amount: { ...decimal, description: 'What the returned units are worth at the order prices.' },
    currency: string,
    reviewReasons: { type: 'array', items: string, description: 'Why it waits (waited) for a reviewer.' },
    statusReason: nullableString,
    refundAmount: { ...decimal, nullable: true, description: 'The refund instructed after inspection.' },
    replacementOrderId: { ...uuid, nullable: true, description: "An exchange's replacement order." },
    warehouse: { ...nullableString, description: 'The warehouse the goods go back to.' },
    received: { type: 'array', nullable: true, items: resource('Units that arrived.', { sku: string, quantity: integer }) },
    inspection: {
      type: 'array',
      nullable: true,
      items: resource('Graded units.', { sku: string, quantity: integer, grade: { type: 'string', enum: ['A', 'B', 'C'] }, note: nullableString }, ['sku', 'quantity', 'grade']),
    },
    refusal: {
      ...resource("The warehouse's or inventory's last refusal (the step can be recorded again).", { code: string, reason: string, at: dateTime }),
      nullable: true,
    },
    stuck: { type: 'boolean', description: 'An answer the return waits for has not come after the last re-send (still retried).' },
    overdue: { type: 'boolean', description: 'Waiting past the after-sales answer time (review, 24 h) or the inspection time.' },
    waitingFor: { ...string, description: 'What the return waits for now.' },
    deadlineAt: { ...dateTime, nullable: true },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
  ['id', 'rmaNumber', 'status', 'orderId', 'platformId', 'resolution', 'lines', 'amount', 'currency', 'createdAt'],
);

export const RETURN_PAGE_SCHEMA = page('A page of returns, newest first.', RETURN_SCHEMA);

export const RETURN_POLICY_SCHEMA = resource("A platform's return policy.", {
  platformId: string,
  windowDays: integer,
  reviewReasons: { type: 'array', items: string },
  reviewAbove: { ...decimal, nullable: true },
  scrapRefundPercent: { type: 'number' },
  isDefault: { type: 'boolean', description: 'true while the platform has no policy of its own (the defaults apply).' },
});

const figures: Record<string, SchemaObject> = {
  returnedUnits: integer,
  shippedUnits: integer,
  returnRate: { type: 'number', nullable: true, description: 'returnedUnits / shippedUnits (4 decimals); null when nothing shipped.' },
  returns: { ...integer, description: 'Returns (RMAs) with units in the group; refused and withdrawn returns do not count.' },
};

export const RETURN_ANALYTICS_SCHEMA = resource('Returned and shipped units over a period, by group and in total.', {
  from: string,
  to: string,
  groupBy: { type: 'string', enum: [...RETURN_ANALYTICS_GROUPS] },
  groups: { type: 'array', description: 'Most returned units first.', items: resource('One reason code, SKU or channel.', { key: string, ...figures }) },
  totals: resource('All groups together.', figures),
});
