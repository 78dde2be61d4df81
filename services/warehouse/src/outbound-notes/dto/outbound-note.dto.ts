import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OutboundNoteDetails, OutboundNotePage } from '../outbound-notes.service.js';
import { OUTBOUND_NOTE_STATUSES, type OutboundNoteStatus } from '../outbound-note-status.js';

export class StockLineDto {
  @ApiProperty({ example: 'SKU-1001' })
  sku: string;

  @ApiProperty({ minimum: 1, example: 2 })
  quantity: number;
}

export class AddressDto {
  @ApiProperty()
  line1: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  line2?: string | null;

  @ApiProperty()
  city: string;

  @ApiProperty()
  postalCode: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'CN' })
  country: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  region?: string | null;
}

export class NoteShipmentDto {
  @ApiProperty({ format: 'uuid', description: "The shipment's id (POST /v1/shipments/{id}/delivered)" })
  id: string;

  @ApiProperty({ example: 'SF Express' })
  carrier: string;

  @ApiProperty()
  trackingNumber: string;

  @ApiProperty({ format: 'date-time' })
  shippedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: string | null;
}

export class OutboundNoteDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  orderId: string;

  @ApiProperty({ description: "The order's id on its platform" })
  externalId: string;

  @ApiProperty({ type: String, nullable: true })
  tenantId: string | null;

  @ApiProperty({ example: 'SH-01' })
  warehouse: string;

  @ApiProperty({ minimum: 1, example: 1, description: "The order's shipment batch (2 and up: a partial order's backordered rest)" })
  batch: number;

  @ApiProperty({ enum: OUTBOUND_NOTE_STATUSES })
  status: OutboundNoteStatus;

  @ApiProperty({ type: [StockLineDto] })
  lines: StockLineDto[];

  @ApiProperty({ description: 'Who receives the parcel (the order\'s shipping address names them; the customer by default)' })
  recipientName: string;

  @ApiProperty({ type: String, nullable: true, description: "The recipient's phone for the label; null when the order had none" })
  recipientPhone: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The recipient's company, if any" })
  recipientCompany: string | null;

  @ApiProperty({ type: AddressDto })
  shipTo: AddressDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  confirmedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  pickingAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  packedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  shippedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the order saga cancelled the note' })
  cancelReason: string | null;

  @ApiProperty({ description: 'Cancelled while picking or packed: the picked goods must go back to their locations' })
  restockRequired: boolean;

  @ApiProperty({ type: NoteShipmentDto, nullable: true })
  shipment: NoteShipmentDto | null;
}

export class OutboundNoteListDto {
  @ApiProperty({ type: [OutboundNoteDto], description: 'Oldest first (creation order)' })
  items: OutboundNoteDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function toOutboundNoteDto({ note, lines, shipment }: OutboundNoteDetails): OutboundNoteDto {
  return {
    id: note.id,
    orderId: note.orderId,
    externalId: note.externalId,
    tenantId: note.tenantId,
    warehouse: note.warehouse,
    batch: note.batch,
    status: note.status,
    lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    recipientName: note.recipientName,
    recipientPhone: note.recipientPhone,
    recipientCompany: note.recipientCompany,
    shipTo: note.shipTo,
    createdAt: note.createdAt.toISOString(),
    confirmedAt: iso(note.confirmedAt),
    pickingAt: iso(note.pickingAt),
    packedAt: iso(note.packedAt),
    shippedAt: iso(note.shippedAt),
    cancelledAt: iso(note.cancelledAt),
    cancelReason: note.cancelReason,
    restockRequired: note.restockRequired,
    shipment: shipment && {
      id: shipment.id,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      shippedAt: shipment.shippedAt.toISOString(),
      deliveredAt: iso(shipment.deliveredAt),
    },
  };
}

export function toOutboundNoteListDto(page: OutboundNotePage): OutboundNoteListDto {
  return { items: page.items.map(toOutboundNoteDto), nextCursor: page.nextCursor };
}
