import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES } from '@skald/contracts';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';

export class NoteLineView {
  @ApiProperty() sku: string;
  @ApiProperty() quantity: number;
}

export class OrderLineView {
  @ApiProperty() sku: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ example: '12.5' }) unitPrice: string;
  @ApiProperty({ description: 'Units that will not ship (a partial order\'s cancelled rest)' }) cancelledQuantity: number;
}

export class ShortagePolicyView {
  @ApiProperty({ enum: ['reject', 'backorder', 'partial'] }) mode: string;
  @ApiProperty({ nullable: true, type: String }) backorderDeadline: string | null;
  @ApiProperty({ nullable: true, enum: ['backorder', 'cancel'] }) partialRemainder: string | null;
}

export class CancellationView {
  @ApiProperty({ example: 'CANCELLED' }) code: string;
  @ApiProperty() reason: string;
  @ApiProperty() requestedBy: string;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ enum: ['skipped', 'pending', 'done'], description: 'Outbound notes compensation' }) notes: string;
  @ApiProperty({ enum: ['skipped', 'pending', 'done'], description: 'Stock release compensation' }) stock: string;
}

export class SagaView {
  @ApiProperty({ example: 'fulfilling' }) state: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the saga stops waiting in this state' }) deadlineAt: string | null;
  @ApiProperty({ description: 'A step or compensation keeps going unanswered: operators look at it' }) stuck: boolean;
  @ApiProperty({ type: CancellationView, nullable: true }) cancellation: CancellationView | null;
}

export class StatusEntryView {
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

export class ReviewReasonView {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'The figures behind the reason (AMOUNT_MISMATCH: paymentAmount, linesTotal, currency).', example: { paymentAmount: '30', linesTotal: '25', currency: 'EUR' } })
  details?: Record<string, string>;
}

export class ReviewDecisionView {
  @ApiProperty({ enum: ['approve', 'reject'] }) decision: string;
  @ApiProperty() reason: string;
  @ApiProperty() decidedBy: string;
  @ApiProperty() decidedAt: string;
}

export class ReviewView {
  @ApiProperty({ enum: ['approved', 'rejected', 'on_hold'] }) outcome: string;
  @ApiProperty({ type: [ReviewReasonView] }) reasons: ReviewReasonView[];
  @ApiProperty() reviewedAt: string;
  @ApiPropertyOptional({ type: ReviewDecisionView }) decision?: ReviewDecisionView;
}

export class ReservationView {
  @ApiProperty({ description: "The reservation's id (inventory's)" }) id: string;
  @ApiProperty() warehouse: string;
  @ApiProperty() sku: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: '1: reserved with the order; 2: a partial order\'s backordered rest' }) batch: number;
  @ApiProperty() released: boolean;
}

export class OutboundNoteView {
  @ApiProperty({ format: 'uuid', description: "The outbound note's id (GET /v1/outbound-notes/{id})" }) id: string;
  @ApiProperty() warehouse: string;
  @ApiProperty() status: string;
  @ApiProperty() batch: number;
  @ApiProperty({ type: [NoteLineView], nullable: true }) lines: Array<{ sku: string; quantity: number }> | null;
}

export class ShipmentView {
  @ApiProperty({ format: 'uuid', description: "The shipment's id (POST /v1/shipments/{id}/delivered)" }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The outbound note it shipped' }) noteId: string;
  @ApiProperty() warehouse: string;
  @ApiProperty() carrier: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() shippedAt: string;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
}

export class ShippingAddressView {
  @ApiProperty() line1: string;
  @ApiProperty({ nullable: true, type: String }) line2: string | null;
  @ApiProperty() city: string;
  @ApiProperty() postalCode: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ nullable: true, type: String }) region: string | null;
  @ApiProperty({ description: "Who receives the parcel (the customer's name unless the order named someone else)" }) name: string;
  @ApiProperty({ nullable: true, type: String, description: "The recipient's phone (the customer's unless the order gave one)" }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) company: string | null;
}

export class PaymentView {
  @ApiProperty() method: string;
  @ApiProperty({ enum: ['pending', 'paid'] }) status: string;
  @ApiProperty() amount: string;
}

export class OrderSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() externalId: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() channel: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty() customerId: string;
  @ApiProperty() currency: string;
  @ApiProperty() totalAmount: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ReplacementForView {
  @ApiProperty() returnId: string;
  @ApiProperty({ example: 'RMA-2026-000123' }) rmaNumber: string;
  @ApiProperty({ description: 'The order the returned goods came from' }) orderId: string;
}

export class OrderView extends OrderSummaryView {
  @ApiProperty() customer: Record<string, unknown>;
  @ApiProperty({ type: [OrderLineView] }) lines: OrderLineView[];
  @ApiProperty({ type: ShippingAddressView }) shippingAddress: ShippingAddressView;
  @ApiProperty({ type: PaymentView }) payment: PaymentView;
  @ApiProperty({ nullable: true, type: String }) requestedDeliveryDate: string | null;
  @ApiProperty({ type: ReviewView, nullable: true }) review: ReviewView | null;
  @ApiProperty({ type: ShortagePolicyView, nullable: true, description: 'Resolved at review from the platform default when the order had none' }) shortagePolicy: ShortagePolicyView | null;
  @ApiProperty({ type: SagaView, nullable: true }) saga: SagaView | null;
  @ApiProperty({ type: ReplacementForView, nullable: true, description: 'A replacement order (exchange): the return it replaces the goods of' }) replacementFor: ReplacementForView | null;
  @ApiProperty({ type: [ReservationView] }) reservations: ReservationView[];
  @ApiProperty({ type: [OutboundNoteView] }) outboundNotes: OutboundNoteView[];
  @ApiProperty({ type: [ShipmentView] }) shipments: ShipmentView[];
  @ApiProperty({ type: [StatusEntryView] }) statusHistory: StatusEntryView[];
}

export class OrderPageView {
  @ApiProperty({ type: [OrderSummaryView] }) items: OrderSummaryView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page' }) nextCursor: string | null;
}

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: (typeof ORDER_STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/)
  channel?: string;

  @ApiPropertyOptional({ description: "The customer's id on its platform" })
  @IsOptional()
  @Matches(/^[\w.:@-]{1,100}$/)
  customerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this API issued' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
