import 'reflect-metadata';
import { runMigrationCommand } from '@skald/service-kit';
import { service } from './service.js';

process.exitCode = await runMigrationCommand(service, process.argv.slice(2));
