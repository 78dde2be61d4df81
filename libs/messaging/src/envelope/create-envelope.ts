import { randomUUID } from 'node:crypto';
import type { MessageDefinition, MessageEnvelope } from '@skald/contracts';
import { currentExecutionContext } from '../context/execution-context.js';

export interface EnvelopeMeta {
  /** The saga or request; defaults to the current execution context's, or to the message id. */
  correlationId?: string;
  /** The message that caused this one; defaults to the message being handled, if any. */
  causationId?: string | null;
  tenantId?: string | null;
  id?: string;
  occurredAt?: Date;
}

export function createEnvelope<P>(definition: MessageDefinition<P>, payload: P, meta: EnvelopeMeta = {}): MessageEnvelope<P> {
  const context = currentExecutionContext();
  const id = meta.id ?? randomUUID();
  return {
    id,
    type: definition.type,
    version: definition.version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.correlationId ?? context?.correlationId ?? id,
    causationId: meta.causationId !== undefined ? meta.causationId : (context?.messageId ?? null),
    tenantId: meta.tenantId !== undefined ? meta.tenantId : (context?.tenantId ?? null),
    payload,
  };
}
