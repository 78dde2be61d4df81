import { Module } from '@nestjs/common';
import { UpstreamClient } from './upstream-client.js';

/** The owning services' internal HTTP APIs, one connection pool each. */
@Module({
  providers: [UpstreamClient],
  exports: [UpstreamClient],
})
export class UpstreamModule {}
