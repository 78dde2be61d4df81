/**
 * TypeORM loads only its PostgreSQL driver in a service process.
 *
 * TypeORM's DriverFactory requires every one of its seventeen drivers when it loads, to pick one by
 * the data source's `type` later. Skald's services only ever use `postgres`; the sixteen others
 * (with their query runners) would hold ≈ 1.9 MB of every service's heap for the process's life,
 * ≈ 1.5 MB of it their sources (docs/adr/0003-service-runtime.md, Memory). A module resolve hook
 * answers DriverFactory's require of any of them with unloaded-drivers.ts, whose classes of the same
 * names throw when constructed: a data source of another type fails at initialisation, saying why.
 *
 * Registered by the service entry, `node --import @skald/service-kit/instrument dist/main.js`,
 * before any service code loads. Tests and tools that load TypeORM otherwise get every driver.
 */
import { registerHooks } from 'node:module';
import * as unloadedDrivers from './unloaded-drivers.js';

const DRIVER_FACTORY = /[\\/]typeorm[\\/]driver[\\/]DriverFactory\.js$/;
const UNLOADED_DRIVERS_URL = new URL('./unloaded-drivers.js', import.meta.url).href;

/** Whether a DriverFactory `require` names a driver stubbed here ('./mysql/MysqlDriver': MysqlDriver is). */
function stubbedDriver(specifier: string): boolean {
  return specifier.startsWith('./') && Object.hasOwn(unloadedDrivers, specifier.slice(specifier.lastIndexOf('/') + 1));
}

/** Registers the hook; once per process (the service entry does). */
export function loadOnlyPostgresDriver(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (context.parentURL && DRIVER_FACTORY.test(context.parentURL) && stubbedDriver(specifier)) {
        return { url: UNLOADED_DRIVERS_URL, format: 'module', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}
