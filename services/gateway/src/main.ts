import 'reflect-metadata';
import { runService } from '@skald/service-kit';
import { service } from './service.js';

await runService(service);
