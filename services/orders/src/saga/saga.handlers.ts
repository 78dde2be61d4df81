import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  BackorderAllocatedV1,
  OutboundNoteProgressedV1,
  OutboundNoteShippedV1,
  OutboundNotesCancelledV1,
  OutboundNotesCreatedV1,
  ReservationExpiredV1,
  ShipmentDeliveredV1,
  StockReleasedV1,
  StockReservationRejectedV1,
  StockReservedV1,
  type BackorderAllocated,
  type MessageDefinition,
  type OutboundNoteProgressed,
  type OutboundNoteShipped,
  type OutboundNotesCancelled,
  type OutboundNotesCreated,
  type ReservationExpired,
  type ShipmentDelivered,
  type StockReleased,
  type StockReservationRejected,
  type StockReserved,
} from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { OrderCompensation } from './order-compensation.service.js';
import { OrderSaga } from './order-saga.service.js';
import type { Incoming } from './saga-steps.js';
import { messageSender } from './senders.js';

const incoming = (definition: MessageDefinition, context: MessageContext): Incoming => ({
  type: definition.routingKey,
  id: context.envelope.id,
});

/** Replies and events from inventory and warehouse that move the order saga on (or its compensation). */
@Controller()
export class SagaHandlers {
  constructor(
    private readonly saga: OrderSaga,
    private readonly compensation: OrderCompensation,
  ) {}

  @OnMessage(StockReservedV1)
  async onStockReserved(@Payload() event: StockReserved, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.stockReserved(context.manager, event, messageSender(context), incoming(StockReservedV1, context));
  }

  @OnMessage(StockReservationRejectedV1)
  async onReservationRejected(@Payload() event: StockReservationRejected, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.reservationRejected(context.manager, event, messageSender(context), incoming(StockReservationRejectedV1, context));
  }

  @OnMessage(BackorderAllocatedV1)
  async onBackorderAllocated(@Payload() event: BackorderAllocated, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.backorderAllocated(context.manager, event, messageSender(context), incoming(BackorderAllocatedV1, context));
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

  @OnMessage(OutboundNotesCancelledV1)
  async onNotesCancelled(@Payload() event: OutboundNotesCancelled, @Ctx() context: MessageContext): Promise<void> {
    await this.compensation.notesCancelled(context.manager, event, messageSender(context), incoming(OutboundNotesCancelledV1, context));
  }

  @OnMessage(StockReleasedV1)
  async onStockReleased(@Payload() event: StockReleased, @Ctx() context: MessageContext): Promise<void> {
    await this.compensation.stockReleased(context.manager, event, messageSender(context), incoming(StockReleasedV1, context));
  }

  @OnMessage(ReservationExpiredV1)
  async onReservationExpired(@Payload() event: ReservationExpired, @Ctx() context: MessageContext): Promise<void> {
    await this.compensation.reservationExpired(context.manager, event, messageSender(context), incoming(ReservationExpiredV1, context));
  }
}
