import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { ReserveStock, ReserveStockV1, StockReservationRejectedV1, StockReservedV1 } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { ReservationsService } from './reservations.service.js';

// Message handlers only: nothing for the HTTP API document.
@ApiExcludeController()
@Controller()
export class ReservationsHandler {
  private readonly logger = new Logger(ReservationsHandler.name);

  constructor(private readonly reservations: ReservationsService) {}

  @OnMessage(ReserveStockV1)
  async onReserveStock(@Payload() command: ReserveStock, @Ctx() ctx: MessageContext): Promise<void> {
    const { orderId } = command;
    const outcome = await this.reservations.reserve(ctx.manager, {
      orderId,
      tenantId: ctx.envelope.tenantId,
      lines: command.lines,
    });
    switch (outcome.kind) {
      case 'reserved':
        await ctx.publish(StockReservedV1, {
          orderId,
          reservations: outcome.reservations.map((r) => ({
            reservationId: r.id,
            warehouse: r.warehouse,
            sku: r.sku,
            quantity: r.quantity,
          })),
        });
        return;
      case 'rejected':
        await ctx.publish(StockReservationRejectedV1, { orderId, reason: outcome.reason, shortages: outcome.shortages });
        return;
      case 'settled':
        this.logger.warn(`order ${orderId}: reserve command re-sent after its reservations were shipped or released; ignored`);
        return;
    }
  }
}
