import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  OutboundNoteProgressed,
  OutboundNoteProgressedV1,
  ReleaseStock,
  ReleaseStockV1,
  ReserveStock,
  ReserveStockV1,
  StockReleasedV1,
  StockReservationRejectedV1,
  StockReservedV1,
  type StockReserved,
} from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { ReleaseService } from './release.service.js';
import { ReservationsService, type ReservedStock } from './reservations.service.js';

const toValue = (r: ReservedStock) => ({ reservationId: r.id, warehouse: r.warehouse, sku: r.sku, quantity: r.quantity });

// Message handlers only: nothing for the HTTP API document.
@ApiExcludeController()
@Controller()
export class ReservationsHandler {
  private readonly logger = new Logger(ReservationsHandler.name);

  constructor(
    private readonly reservations: ReservationsService,
    private readonly releases: ReleaseService,
  ) {}

  @OnMessage(ReserveStockV1)
  async onReserveStock(@Payload() command: ReserveStock, @Ctx() ctx: MessageContext): Promise<void> {
    const { orderId } = command;
    const outcome = await this.reservations.reserve(ctx.manager, {
      orderId,
      tenantId: ctx.envelope.tenantId,
      correlationId: ctx.envelope.correlationId,
      lines: command.lines,
      onShortage: command.onShortage ?? 'reject',
      attempt: command.attempt ?? 1,
      holdUntil: command.holdUntil ? new Date(command.holdUntil) : null,
    });
    switch (outcome.kind) {
      case 'reserved': {
        const reply: StockReserved = { orderId, reservations: outcome.reservations.map(toValue), attempt: outcome.attempt };
        if (outcome.onShortage === 'backorder') reply.backordered = outcome.backordered;
        if (outcome.onShortage === 'take_available') reply.unavailable = outcome.unavailable;
        await ctx.publish(StockReservedV1, reply);
        return;
      }
      case 'rejected':
        await ctx.publish(StockReservationRejectedV1, { orderId, reason: outcome.reason, shortages: outcome.shortages });
        return;
      case 'settled':
        this.logger.warn(`order ${orderId}: reserve command re-sent after its reservations were shipped or released; ignored`);
        return;
      case 'released':
      case 'superseded':
        // Logged by the service; the saga has moved on and expects no answer.
        return;
    }
  }

  @OnMessage(ReleaseStockV1)
  async onReleaseStock(@Payload() command: ReleaseStock, @Ctx() ctx: MessageContext): Promise<void> {
    const outcome = await this.releases.release(ctx.manager, {
      orderId: command.orderId,
      tenantId: ctx.envelope.tenantId,
      reason: command.reason,
      reservationIds: command.reservationIds,
      endBackorder: command.endBackorder,
    });
    // Always answered, also when a re-sent command found nothing left: the saga waits for it.
    await ctx.publish(StockReleasedV1, {
      orderId: command.orderId,
      reason: command.reason,
      released: outcome.released.map(toValue),
      backorderEnded: outcome.backorderEnded,
    });
  }

  /**
   * A note the warehouse works on (confirmed, or already picking or packed, which imply it) pins
   * the order's reservations there: goods about to ship must not be reported as expired.
   */
  @OnMessage(OutboundNoteProgressedV1)
  async onOutboundNoteProgressed(@Payload() note: OutboundNoteProgressed, @Ctx() ctx: MessageContext): Promise<void> {
    const pinned = await this.reservations.pin(ctx.manager, note.orderId, note.warehouse);
    if (pinned > 0) this.logger.log(`outbound note ${note.noteId} ${note.status}: ${pinned} reservation(s) of order ${note.orderId} in ${note.warehouse} no longer expire`);
  }
}
