import { randomUUID } from 'node:crypto';
import type { OnShortage, OutboundNoteProgressed, OutboundNoteShipped, ReserveStock } from '@skald/contracts';

export interface Line {
  sku: string;
  quantity: number;
}

const suffix = () => randomUUID().slice(0, 8);

/** An SKU no other test uses. */
export const anSku = (prefix = 'SKU') => `${prefix}-${suffix()}`;

/** A warehouse code no other test uses. */
export const aWarehouseCode = (prefix = 'WH') => `${prefix}-${suffix()}`;

export const anOrderId = () => `order-${randomUUID()}`;

export interface CatalogItemBody {
  name: string;
  listPrice: string | number;
  currency: string;
  sellable: boolean;
  returnable: boolean;
}

export function aCatalogItem(overrides: Partial<CatalogItemBody> = {}): CatalogItemBody {
  return { name: 'Oolong tea, 250 g', listPrice: '12.90', currency: 'EUR', sellable: true, returnable: true, ...overrides };
}

export function aReceipt(overrides: { warehouse?: string; lines?: Line[]; reference?: string } = {}) {
  return {
    warehouse: overrides.warehouse ?? aWarehouseCode(),
    lines: overrides.lines ?? [{ sku: anSku(), quantity: 1 }],
    ...(overrides.reference === undefined ? {} : { reference: overrides.reference }),
  };
}

export function aReserveCommand(overrides: {
  orderId?: string;
  lines: Line[];
  onShortage?: OnShortage;
  attempt?: number;
  holdUntil?: string;
}): ReserveStock {
  const { orderId, lines, ...options } = overrides;
  return { orderId: orderId ?? anOrderId(), lines, ...options };
}

export function anOutboundNoteProgressed(overrides: {
  orderId: string;
  warehouse: string;
  status?: OutboundNoteProgressed['status'];
  noteId?: string;
}): OutboundNoteProgressed {
  return {
    noteId: overrides.noteId ?? `note-${randomUUID()}`,
    orderId: overrides.orderId,
    warehouse: overrides.warehouse,
    status: overrides.status ?? 'confirmed',
    at: new Date().toISOString(),
  };
}

export function anOutboundNoteShipped(overrides: {
  orderId: string;
  warehouse: string;
  lines: Line[];
  noteId?: string;
}): OutboundNoteShipped {
  return {
    noteId: overrides.noteId ?? `note-${randomUUID()}`,
    orderId: overrides.orderId,
    warehouse: overrides.warehouse,
    shipmentId: `shp-${suffix()}`,
    carrier: 'DHL',
    trackingNumber: `TRK${suffix()}`,
    lines: overrides.lines,
    shippedAt: new Date().toISOString(),
  };
}

/** A reservation as [sku, warehouse, quantity], for compact expectations. */
export const placement = (r: { sku: string; warehouse: string; quantity: number }) => [r.sku, r.warehouse, r.quantity];
