import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';

/**
 * The one envelope every Skald message travels in, as the JSON body of the AMQP message.
 * `traceparent` is not part of it: it travels as an AMQP header (W3C trace context).
 */
export interface MessageEnvelope<P = unknown> {
  /** Unique message id (UUID); the inbox deduplicates on it. */
  id: string;
  /** Message type without version, e.g. `orders.order.placed`. */
  type: string;
  /** Contract version; the routing key is `${type}.v${version}`. */
  version: number;
  /** ISO 8601 time the fact happened or the command was issued. */
  occurredAt: string;
  /** The saga (or request) this message belongs to. */
  correlationId: string;
  /** Id of the message that caused this one; null for a message caused by an HTTP request. */
  causationId: string | null;
  /** The platform (tenant) the message concerns; null for tenant-less messages. */
  tenantId: string | null;
  payload: P;
}

/** Shape check of an incoming envelope; the payload is checked against its own contract class. */
export class EnvelopeSchema implements MessageEnvelope<Record<string, unknown>> {
  @IsUUID()
  id: string;

  @IsString()
  @Matches(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, { message: 'type must be dot-separated lowercase words' })
  @MaxLength(200)
  type: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;

  @IsISO8601({ strict: true })
  occurredAt: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  correlationId: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  causationId: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  tenantId: string | null;

  @IsObject()
  payload: Record<string, unknown>;
}

/** The routing key of a message type and version: `orders.order.placed` v1 → `orders.order.placed.v1`. */
export function routingKeyOf(type: string, version: number): string {
  return `${type}.v${version}`;
}
