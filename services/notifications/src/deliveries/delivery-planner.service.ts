import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { currentExecutionContext } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import { DeliveriesRepository } from './deliveries.repository.js';
import type { DeliveryChannel, PayloadOf } from './delivery.entity.js';
import { DeliverySender } from './delivery-sender.js';

/** A message to send, as a capability plans it. */
export type PlannedDelivery = {
  [C in DeliveryChannel]: {
    channel: C;
    /** E-mail address, phone number or webhook subscription id. */
    target: string;
    /** Tells apart several deliveries of one source message to the same target (e.g. a note id). */
    topic?: string;
    payload: PayloadOf[C];
  };
}[DeliveryChannel];

/** What caused the deliveries: the message (its id makes them happen once), its tenant and order. */
export interface DeliverySource {
  messageId: string;
  tenantId: string | null;
  orderId: string | null;
}

@Injectable()
export class DeliveryPlanner {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly sender: DeliverySender,
  ) {}

  /**
   * Records deliveries to send, in the caller's transaction (written with its COMMIT); the
   * dispatcher sends them once it commits. Planning the same source message again adds nothing: a
   * delivery exists once per source message, channel, target and topic (an existing one is left as
   * it is). The dispatchers are woken (NOTIFY) when any is new.
   * @returns how many deliveries were planned.
   */
  async plan(manager: EntityManager, source: DeliverySource, planned: PlannedDelivery[]): Promise<number> {
    await this.deliveries.insertNew(
      manager,
      planned.map((delivery) => ({
        id: randomUUID(),
        sourceMessageId: source.messageId,
        channel: delivery.channel,
        target: delivery.target,
        topic: delivery.topic ?? '',
        tenantId: source.tenantId,
        orderId: source.orderId,
        // The message being handled: its saga's timeline lists the delivery.
        correlationId: currentExecutionContext()?.correlationId ?? null,
        payload: delivery.payload,
        lastError: this.sender.unavailableReason(delivery.channel),
      })),
    );
    return planned.length;
  }
}
