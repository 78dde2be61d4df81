import { randomUUID } from 'node:crypto';
import type { CatalogItemUpdated, PlatformRegistered } from '@skald/contracts';

/** A unique suffix, so every test owns its SKUs, tenants and customers. */
export const unique = (): string => randomUUID().slice(0, 8);

export function aPlatform(overrides: Partial<PlatformRegistered> = {}): PlatformRegistered {
  return { tenantId: `tenant-${unique()}`, name: 'Test Shop', priceTolerancePct: 5, reviewAmountThreshold: '10000', ...overrides };
}

export function aCatalogItem(overrides: Partial<CatalogItemUpdated> = {}): CatalogItemUpdated {
  return { sku: `SKU-${unique()}`, name: 'Mug', listPrice: '10', currency: 'EUR', sellable: true, returnable: true, ...overrides };
}

export interface OrderBody {
  externalId: string;
  channel: string;
  customer: { id: string; name: string; email: string; phone?: string };
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
  currency: string;
  shippingAddress: { line1: string; city: string; postalCode: string; country: string; name?: string; phone?: string; company?: string };
  payment: { method: string; status: 'pending' | 'paid'; amount: number };
  requestedDeliveryDate?: string;
}

export function anOrder(lines: OrderBody['lines'], overrides: Partial<OrderBody> = {}): OrderBody {
  const amount = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return {
    externalId: `EXT-${unique()}`,
    channel: 'web',
    customer: { id: `C-${unique()}`, name: 'Ann Example', email: 'ann@example.com', phone: '+3212345678' },
    lines,
    currency: 'EUR',
    shippingAddress: { line1: 'Main Street 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
    payment: { method: 'card', status: 'paid', amount },
    ...overrides,
  };
}
