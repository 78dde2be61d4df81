import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  ExpectedReturnCancelledV1,
  OrderStatusChangedV1,
  ReplacementOrderPlacedV1,
  ReturnedStockBookedV1,
  ReturnedStockRefusedV1,
  ReturnExpectedV1,
  ReturnInspectedV1,
  ReturnReceiptRefusedV1,
  ReturnReceivedV1,
  type ExpectedReturnCancelled,
  type MessageDefinition,
  type OrderStatusChanged,
  type ReplacementOrderPlaced,
  type ReturnedStockBooked,
  type ReturnedStockRefused,
  type ReturnExpected,
  type ReturnInspected,
  type ReturnReceiptRefused,
  type ReturnReceived,
} from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import type { SagaTrigger } from '@skald/saga';
import { concernsReturns, ReturnSaga } from './return-saga.service.js';
import { ReturnSteps, type ReturnStep } from './return-steps.js';

const trigger = (definition: MessageDefinition, context: MessageContext): SagaTrigger => ({ type: definition.routingKey, id: context.envelope.id });

/** Answers of the warehouse, inventory and orders that move the return saga on. */
@Controller()
export class ReturnSagaHandlers {
  constructor(
    private readonly saga: ReturnSaga,
    private readonly steps: ReturnSteps,
  ) {}

  private sender(context: MessageContext) {
    return (step: ReturnStep) => this.steps.messageSender(context, step.request);
  }

  /** The warehouse opened the inbound receipt: logged on the saga (nothing else waits for it). */
  @OnMessage(ReturnExpectedV1)
  async onExpected(@Payload() event: ReturnExpected, @Ctx() context: MessageContext): Promise<void> {
    await this.steps.begin(context.manager, event.returnId, trigger(ReturnExpectedV1, context));
  }

  @OnMessage(ReturnReceivedV1)
  async onReceived(@Payload() event: ReturnReceived, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.received(context.manager, event, trigger(ReturnReceivedV1, context));
  }

  @OnMessage(ReturnInspectedV1)
  async onInspected(@Payload() event: ReturnInspected, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.inspected(context.manager, event, this.sender(context), trigger(ReturnInspectedV1, context));
  }

  @OnMessage(ReturnReceiptRefusedV1)
  async onReceiptRefused(@Payload() event: ReturnReceiptRefused, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.receiptRefused(context.manager, event, trigger(ReturnReceiptRefusedV1, context));
  }

  @OnMessage(ExpectedReturnCancelledV1)
  async onExpectedCancelled(@Payload() event: ExpectedReturnCancelled, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.expectedCancelled(context.manager, event, trigger(ExpectedReturnCancelledV1, context));
  }

  @OnMessage(ReturnedStockBookedV1)
  async onBooked(@Payload() event: ReturnedStockBooked, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.booked(context.manager, event, this.sender(context), trigger(ReturnedStockBookedV1, context));
  }

  @OnMessage(ReturnedStockRefusedV1)
  async onBookingRefused(@Payload() event: ReturnedStockRefused, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.bookingRefused(context.manager, event, trigger(ReturnedStockRefusedV1, context));
  }

  @OnMessage(ReplacementOrderPlacedV1)
  async onReplacementPlaced(@Payload() event: ReplacementOrderPlaced, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.replacementPlaced(context.manager, event, trigger(ReplacementOrderPlacedV1, context));
  }

  /**
   * Every order's status: only a replacement order's delivery or cancellation concerns a return.
   * Any other status is acked without a transaction or inbox record (most of this busy key).
   */
  @OnMessage(OrderStatusChangedV1, { handles: concernsReturns })
  async onOrderStatus(@Payload() event: OrderStatusChanged, @Ctx() context: MessageContext): Promise<void> {
    await this.saga.replacementStatus(context.manager, event, this.sender(context), trigger(OrderStatusChangedV1, context));
  }
}
