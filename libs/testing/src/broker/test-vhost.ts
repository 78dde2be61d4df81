import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TEST_RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface TestVhost {
  url: string;
  remove(): Promise<void>;
}

/**
 * A RabbitMQ virtual host of the test's own: the services' real queue names (skald.orders, …)
 * never meet a developer's running suite or another test. Falls back to the base URL's vhost when
 * rabbitmqctl is not available (remote broker).
 */
export async function createTestVhost(prefix = 'test', baseUrl = TEST_RABBITMQ_URL): Promise<TestVhost> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  try {
    await run('rabbitmqctl', ['-q', 'add_vhost', name]);
    const user = decodeURIComponent(new URL(baseUrl).username || 'guest');
    await run('rabbitmqctl', ['-q', 'set_permissions', '-p', name, user, '.*', '.*', '.*']);
  } catch {
    return { url: baseUrl, remove: async () => undefined };
  }
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    url: url.toString(),
    remove: async () => {
      await run('rabbitmqctl', ['-q', 'delete_vhost', name]).catch(() => undefined);
    },
  };
}
