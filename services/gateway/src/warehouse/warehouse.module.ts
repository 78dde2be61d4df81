import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { OutboundNotesController } from './outbound-notes.controller.js';
import { ShipmentsController } from './shipments.controller.js';

/** The public face of the warehouse service: outbound notes and shipments. */
@Module({
  imports: [ApiKeysModule, IdempotencyModule, UpstreamModule],
  controllers: [OutboundNotesController, ShipmentsController],
})
export class WarehouseModule {}
