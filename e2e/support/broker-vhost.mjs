import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A RabbitMQ virtual host of its own for this run, so the services' queues (skald.orders, …) do
 * not meet a developer's running suite or another run. Falls back to the given URL's vhost when
 * rabbitmqctl is not available (remote broker).
 * @param {string} baseUrl
 * @param {string} name
 */
export async function createVhost(baseUrl, name) {
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
