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
    const booking = await this.returnedStock.book(ctx.manager, { ...command, tenantId: ctx.envelope.tenantId });
    if (booking.outcome === 'refused') {
      await ctx.publish(ReturnedStockRefusedV1, { returnId: booking.returnId, code: booking.code!, reason: booking.reason! });
      return;
    }
    await ctx.publish(ReturnedStockBookedV1, {
      returnId: booking.returnId,
      rmaNumber: booking.rmaNumber,
      orderId: booking.orderId,
      warehouse: booking.warehouse,
      lines: booking.lines.map(({ sku, grade, quantity }) => ({ sku, grade, quantity })),
      bookedAt: booking.decidedAt.toISOString(),
    });
  }
}
