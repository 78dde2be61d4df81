import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ScratchVhost {
  /** The broker URL with the new vhost as its path. */
  url: string;
  remove(): Promise<void>;
}

/**
 * A fresh RabbitMQ virtual host for one test file (`rabbitmqctl` on the test machine's broker):
 * its exchanges are declared as this code declares them, whatever an older run left in another
 * vhost. Base URL from `TEST_RABBITMQ_URL` (default: local guest broker).
 */
export async function createScratchVhost(prefix: string): Promise<ScratchVhost> {
  const base = new URL(process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  // Starts with the run's tag (SKALD_TEST_RUN) when there is one, so the run removes it even if the test crashed.
  const name = [process.env.SKALD_TEST_RUN, prefix.replace(/[^a-z0-9-]/gi, '-').toLowerCase(), randomBytes(4).toString('hex')]
    .filter(Boolean)
    .join('-');
  await run('rabbitmqctl', ['-q', 'add_vhost', name], { timeout: 30_000 });
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', name, decodeURIComponent(base.username || 'guest'), '.*', '.*', '.*'], {
    timeout: 30_000,
  });
  base.pathname = `/${encodeURIComponent(name)}`;
  return {
    url: base.toString(),
    remove: async () => {
      await run('rabbitmqctl', ['-q', 'delete_vhost', name], { timeout: 30_000 }).catch(() => undefined);
    },
  };
}
