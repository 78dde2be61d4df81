import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PlaceReplacementOrderV1, type PlaceReplacementOrder } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { messageSender } from '../saga/senders.js';
import { ReplacementOrders } from './replacement-orders.service.js';

@Controller()
export class ReplacementOrdersHandler {
  constructor(private readonly replacements: ReplacementOrders) {}

  @OnMessage(PlaceReplacementOrderV1)
  async onPlace(@Payload() command: PlaceReplacementOrder, @Ctx() context: MessageContext): Promise<void> {
    await this.replacements.place(context.manager, command, messageSender(context), { type: PlaceReplacementOrderV1.routingKey, id: context.envelope.id });
  }
}
