import { randomUUID } from 'node:crypto';
import { Outbox } from '@skald/messaging';
import type { StaffRole } from '@skald/service-kit';
import type { DataSource } from 'typeorm';
import { ApiKeyRepository } from '../src/api-keys/api-key.repository.js';
import { ApiKeyService } from '../src/api-keys/api-key.service.js';
import { PlatformRepository } from '../src/platforms/platform.repository.js';
import { PlatformService } from '../src/platforms/platform.service.js';

export interface TestPlatform {
  tenantId: string;
  keyId: string;
  key: string;
}

const keyService = () => new ApiKeyService(new ApiKeyRepository());

/** A registered platform and its key, straight into the gateway's database. */
export async function aPlatform(dataSource: DataSource, name = `Shop ${randomUUID().slice(0, 8)}`): Promise<TestPlatform> {
  const platforms = new PlatformService(new PlatformRepository(), keyService(), new Outbox());
  const { platform, key } = await dataSource.transaction((manager) =>
    platforms.register(manager, { name, priceTolerancePct: '0', reviewAmountThreshold: '10000' }),
  );
  return { tenantId: platform.id, keyId: key.id, key: key.key };
}

/** A staff key with the given roles. */
export async function aStaffKey(dataSource: DataSource, roles: StaffRole[]): Promise<{ keyId: string; key: string }> {
  const key = await dataSource.transaction((manager) => keyService().issueStaffKey(manager, roles));
  return { keyId: key.id, key: key.key };
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** A valid POST /v1/orders body. */
export function anOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalId: `web-${randomUUID()}`,
    channel: 'web',
    customer: { id: 'cust-1', name: 'Ada Lovelace', email: 'ada@example.org' },
    lines: [{ sku: 'TEA-EARLGREY-250', quantity: 2, unitPrice: 12.5 }],
    currency: 'EUR',
    shippingAddress: { line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    payment: { method: 'card', status: 'paid', amount: 25 },
    requestedDeliveryDate: '2026-12-24',
    ...overrides,
  };
}

/** What the fake orders service answers to POST /v1/orders. */
export function anAcceptedOrder(externalId: string): { id: string; status: string; externalId: string } {
  return { id: randomUUID(), status: 'received', externalId };
}
