import { randomUUID } from 'node:crypto';
import type { CreateOutboundNotes, StockLineValue, WarehouseLinesValue } from '@skald/contracts';

/** A short unique suffix: every test owns its orders, SKUs and warehouses. */
export const unique = (): string => randomUUID().slice(0, 8);

export function aLine(overrides: Partial<StockLineValue> = {}): StockLineValue {
  return { sku: `SKU-${unique()}`, quantity: 2, ...overrides };
}

export function aWarehouseEntry(overrides: Partial<WarehouseLinesValue> = {}): WarehouseLinesValue {
  return { warehouse: `WH-${unique()}`, lines: [aLine(), aLine({ quantity: 1 })], ...overrides };
}

/** The order saga's command for one order, by default split over two warehouses. */
export function aCreateOutboundNotesCommand(overrides: Partial<CreateOutboundNotes> = {}): CreateOutboundNotes {
  const orderId = randomUUID();
  return {
    orderId,
    externalId: `EXT-${unique()}`,
    recipientName: 'Li Wei',
    recipientPhone: '+86 21 5555 0100',
    recipientCompany: 'Pudong Trading Co.',
    shipTo: { line1: '88 Century Avenue', line2: 'Floor 12', city: 'Shanghai', postalCode: '200120', country: 'CN', region: 'Pudong' },
    notes: [aWarehouseEntry(), aWarehouseEntry()],
    ...overrides,
  };
}
