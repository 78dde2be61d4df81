import { dropDatabase } from '@skald/persistence';
import { createTestVhost, type TestVhost } from '@skald/testing';
import { freePort, newInternalToken, startService } from '../../scripts/lib/suite.mjs';
import { serviceEnv } from './environment.mjs';
import { suite } from './suite-state.mjs';

/** A process of a service, as `startService` returns it. */
export type ServiceProcess = ReturnType<typeof startService>;

/**
 * One service of a test's own, apart from the shared suite: its own vhost (so the suite's
 * instance of the service does not compete for its queue) and its own database. `start()` runs a
 * process of it (on a port of its own each time: a replacement may start while the one it
 * replaces still drains); every process shares the vhost, the database and the internal token.
 */
export interface OwnService {
  env: Record<string, string>;
  vhost: TestVhost;
  start(): Promise<ServiceProcess>;
  /** SIGKILLs whatever still runs, drops the database and removes the vhost. */
  remove(): Promise<void>;
}

export async function ownService(name: string, overrides: Record<string, string> = {}): Promise<OwnService> {
  const vhost = await createTestVhost(`own-${name}`, suite().rabbitmqUrl);
  const env = await serviceEnv(name, { RABBITMQ_URL: vhost.url, LOG_LEVEL: 'info', INTERNAL_API_TOKEN: newInternalToken(), ...overrides });
  const processes: ServiceProcess[] = [];
  return {
    env,
    vhost,
    async start() {
      const started = startService(name, { ...env, PORT: String(await freePort()) });
      processes.push(started);
      return started;
    },
    async remove() {
      for (const { child, exited } of processes) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      }
      await dropDatabase(env.DATABASE_URL);
      await vhost.remove();
    },
  };
}

/** The JSON log messages a service process wrote. */
export function logMessages(service: ServiceProcess): string[] {
  return service.output.filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { msg: string }).msg);
}
