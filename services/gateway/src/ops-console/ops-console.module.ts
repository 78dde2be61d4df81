import { Module } from '@nestjs/common';
import { OpsConsoleController } from './ops-console.controller.js';

/** The on-call engineer's web page, served under /ops (docs/adr/0017). */
@Module({ controllers: [OpsConsoleController] })
export class OpsConsoleModule {}
