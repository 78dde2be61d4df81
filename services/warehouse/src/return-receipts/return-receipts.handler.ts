import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  CancelExpectedReturnV1,
  ExpectedReturnCancelledV1,
  ExpectReturnV1,
  RecordReturnInspectionV1,
  RecordReturnReceiptV1,
  ReturnExpectedV1,
  ReturnInspectedV1,
  ReturnReceiptRefusedV1,
  ReturnReceivedV1,
  type CancelExpectedReturn,
  type ExpectReturn,
  type RecordReturnInspection,
  type RecordReturnReceipt,
} from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { ReturnReceiptsService, type ReturnReceiptAnswer } from './return-receipts.service.js';

/**
 * Executes the return saga's commands about a return's inbound receipt. Every command is answered
 * in the transaction of its effect, also when re-sent or refused: the saga waits for the answer.
 */
// Message handlers, not HTTP routes: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class ReturnReceiptsHandler {
  constructor(private readonly receipts: ReturnReceiptsService) {}

  @OnMessage(ExpectReturnV1)
  async onExpectReturn(@Payload() command: ExpectReturn, @Ctx() context: MessageContext): Promise<void> {
    await answer(context, await this.receipts.expect(context.manager, command, context.envelope.tenantId));
  }

  @OnMessage(RecordReturnReceiptV1)
  async onRecordReturnReceipt(@Payload() command: RecordReturnReceipt, @Ctx() context: MessageContext): Promise<void> {
    await answer(context, await this.receipts.receive(context.manager, command));
  }

  @OnMessage(RecordReturnInspectionV1)
  async onRecordReturnInspection(@Payload() command: RecordReturnInspection, @Ctx() context: MessageContext): Promise<void> {
    await answer(context, await this.receipts.inspect(context.manager, command));
  }

  @OnMessage(CancelExpectedReturnV1)
  async onCancelExpectedReturn(@Payload() command: CancelExpectedReturn, @Ctx() context: MessageContext): Promise<void> {
    await answer(context, await this.receipts.cancel(context.manager, command, context.envelope.tenantId));
  }
}

async function answer(context: MessageContext, outcome: ReturnReceiptAnswer): Promise<void> {
  switch (outcome.kind) {
    case 'expected':
      return void (await context.publish(ReturnExpectedV1, outcome.payload));
    case 'received':
      return void (await context.publish(ReturnReceivedV1, outcome.payload));
    case 'inspected':
      return void (await context.publish(ReturnInspectedV1, outcome.payload));
    case 'cancelled':
      return void (await context.publish(ExpectedReturnCancelledV1, outcome.payload));
    case 'refused':
      return void (await context.publish(ReturnReceiptRefusedV1, outcome.payload));
  }
}
