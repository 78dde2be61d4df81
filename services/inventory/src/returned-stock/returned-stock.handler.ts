import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { BookReturnedStockV1, ReturnedStockBookedV1, ReturnedStockRefusedV1, type BookReturnedStock } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { ReturnedStockService } from './returned-stock.service.js';

/** Executes the return saga's command to book a return's inspected goods. */
// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class ReturnedStockHandler {
  constructor(private readonly returnedStock: ReturnedStockService) {}

  /** Always answered, in the transaction of the booking: booked (also when re-sent), or refused. */
  @OnMessage(BookReturnedStockV1)
  async onBookReturnedStock(@Payload() command: BookReturnedStock, @Ctx() ctx: MessageContext): Promise<void> {
    const answer = await this.returnedStock.book(ctx.manager, { ...command, tenantId: ctx.envelope.tenantId });
    if (answer.kind === 'refused') await ctx.publish(ReturnedStockRefusedV1, answer.payload);
    else await ctx.publish(ReturnedStockBookedV1, answer.payload);
  }
}
