import { Module } from '@nestjs/common';
import { CatalogHandler } from './catalog.handler.js';
import { CatalogRepository } from './catalog.repository.js';

@Module({
  controllers: [CatalogHandler],
  providers: [CatalogRepository],
  exports: [CatalogRepository],
})
export class CatalogModule {}
