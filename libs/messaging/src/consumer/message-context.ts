import { BaseRpcContext } from '@nestjs/microservices';
import type { MessageDefinition, MessageEnvelope } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import type { Outbox } from '../outbox/outbox.js';

/**
 * What a message handler gets besides its payload (`@Ctx() ctx: MessageContext`): the envelope,
 * the transaction its effect must use, and `publish` for the messages it sends, written to the
 * outbox in that same transaction.
 */
export class MessageContext extends BaseRpcContext<[MessageEnvelope, EntityManager]> {
  constructor(
    readonly envelope: MessageEnvelope,
    /** The open transaction: the inbox record, the effect and the outbox rows commit together. */
    readonly manager: EntityManager,
    /** 1 on first delivery, then 2, 3… on delayed retries. */
    readonly attempt: number,
    private readonly outbox: Outbox,
  ) {
    super([envelope, manager]);
  }

  /** Sends a message caused by this one: same correlation and tenant, causation = this id. */
  publish<P extends object>(
    definition: MessageDefinition<P>,
    payload: P,
    meta: { correlationId?: string; tenantId?: string | null } = {},
  ): Promise<MessageEnvelope<P>> {
    return this.outbox.publish(this.manager, definition, payload, {
      correlationId: meta.correlationId ?? this.envelope.correlationId,
      causationId: this.envelope.id,
      tenantId: meta.tenantId !== undefined ? meta.tenantId : this.envelope.tenantId,
    });
  }
}
