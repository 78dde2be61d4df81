import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  OutboundNoteProgressedV1,
  OutboundNoteShippedV1,
  OutboundNotesCreatedV1,
  ShipmentDeliveredV1,
  StockReservationRejectedV1,
  StockReservedV1,
  type MessageDefinition,
  type OutboundNoteProgressed,
  type OutboundNoteShipped,
  type OutboundNotesCreated,
  type ShipmentDelivered,
  type StockReservationRejected,
  type StockReserved,
} from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { OrderSaga, type Incoming } from './order-saga.service.js';
import { messageSender } from './senders.js';

const incoming = (definition: MessageDefinition, context: MessageContext): Incoming => ({
  type: definition.routingKey,
  id: context.envelope.id,
});

/** Replies and events from inventory and warehouse that move the order saga on. */
@Controller()
export class SagaHandlers {
  constructor(private readonly saga: OrderSaga) {}

  @OnMessage(StockReservedV1)
  async onStockReserved(@Payload() event: StockReserved, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.stockReserved(context.manager, event, messageSender(context), incoming(StockReservedV1, context));
  }

  @OnMessage(StockReservationRejectedV1)
  async onReservationRejected(@Payload() event: StockReservationRejected, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.reservationRejected(context.manager, event, messageSender(context), incoming(StockReservationRejectedV1, context));
  }

  @OnMessage(OutboundNotesCreatedV1)
  async onNotesCreated(@Payload() event: OutboundNotesCreated, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.notesCreated(context.manager, event, messageSender(context), incoming(OutboundNotesCreatedV1, context));
  }

  @OnMessage(OutboundNoteProgressedV1)
  async onNoteProgressed(@Payload() event: OutboundNoteProgressed, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.noteProgressed(context.manager, event, messageSender(context), incoming(OutboundNoteProgressedV1, context));
  }

  @OnMessage(OutboundNoteShippedV1)
  async onNoteShipped(@Payload() event: OutboundNoteShipped, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.noteShipped(context.manager, event, messageSender(context), incoming(OutboundNoteShippedV1, context));
  }

  @OnMessage(ShipmentDeliveredV1)
  async onShipmentDelivered(@Payload() event: ShipmentDelivered, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.shipmentDelivered(context.manager, event, messageSender(context), incoming(ShipmentDeliveredV1, context));
  }
}
