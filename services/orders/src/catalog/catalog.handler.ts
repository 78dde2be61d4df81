import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CatalogItemUpdatedV1, type CatalogItemUpdated } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { CatalogRepository } from './catalog.repository.js';

/** Keeps the catalog replica the review reads (no synchronous calls to inventory). */
@Controller()
export class CatalogHandler {
  constructor(private readonly catalog: CatalogRepository) {}

  @OnMessage(CatalogItemUpdatedV1)
  async onCatalogItemUpdated(@Payload() item: CatalogItemUpdated, @Ctx() context: MessageContext): Promise<void> {
    await this.catalog.apply(context.manager, item, new Date(context.envelope.occurredAt));
  }
}
