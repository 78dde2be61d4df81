import { Injectable } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { DataSource } from 'typeorm';
import { DeliveriesRepository, type DeliveryFilter } from './deliveries.repository.js';
import type { DeliveryAttempt } from './delivery-attempt.entity.js';
import type { Delivery } from './delivery.entity.js';

export const DEFAULT_PAGE_SIZE = 50;

export interface DeliveryWithAttempts {
  delivery: Delivery;
  attempts: DeliveryAttempt[];
}

export interface DeliveryPage {
  items: DeliveryWithAttempts[];
  /** Id of the last item when there may be more. */
  nextCursor: string | null;
}

@Injectable()
export class DeliveriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  /**
   * Deliveries newest first, each with its attempts, filtered and paged by keyset.
   * @throws SkaldError(INVALID_CURSOR) when the cursor names no delivery.
   */
  async list(filter: Omit<DeliveryFilter, 'limit'> & { limit?: number }): Promise<DeliveryPage> {
    const manager = this.dataSource.manager;
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.deliveries.list(manager, { ...filter, limit });
    if (!page) throw new SkaldError('INVALID_CURSOR', 'The cursor does not name a delivery; start again without it.', { retryable: false });
    const attempts = await this.deliveries.attemptsOf(
      manager,
      page.map((delivery) => delivery.id),
    );
    const byDelivery = new Map<string, DeliveryAttempt[]>();
    for (const attempt of attempts) byDelivery.set(attempt.deliveryId, [...(byDelivery.get(attempt.deliveryId) ?? []), attempt]);
    return {
      items: page.map((delivery) => ({ delivery, attempts: byDelivery.get(delivery.id) ?? [] })),
      nextCursor: page.length === limit ? page[page.length - 1].id : null,
    };
  }
}
