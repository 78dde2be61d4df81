import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TEST_RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * The tag of the current test run (`npm test` sets SKALD_TEST_RUN): every vhost and scratch
 * database a run creates starts with it, so the run can remove all of them at the end, whatever a
 * crashed test file left behind.
 */
export const TEST_RUN_TAG = process.env.SKALD_TEST_RUN ?? '';

export interface TestVhost {
  url: string;
  remove(): Promise<void>;
}

/** How vhosts are made: the management HTTP API or `rabbitmqctl` (needs the broker's Erlang cookie). */
export interface VhostAdminOptions {
  /** The `rabbitmqctl` command (RABBITMQCTL, default `rabbitmqctl` on the PATH). */
  rabbitmqctl?: string;
  /**
   * The management API's base URL (TEST_RABBITMQ_MANAGEMENT_URL, default port 15672 of the
   * broker's host); it is called with the AMQP URL's user and password.
   */
  managementUrl?: string;
}

/** Creates, lists and deletes vhosts on the broker of an AMQP URL, and grants its user all rights. */
export interface VhostAdmin {
  /** Which way works: `rabbitmqctl` or `management API`. */
  readonly via: string;
  create(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
  /** The queues of a vhost with their type (`quorum`, `classic`, …). */
  queues(vhost: string): Promise<Array<{ name: string; type: string }>>;
  /** The names of a vhost's client connections (through the management API, after a few seconds' statistics delay). */
  connections(vhost: string): Promise<string[]>;
  /**
   * Closes every client connection of a vhost, as a broker restart or a network cut would (fault
   * tests). @returns how many it closed. Through the management API, a connection opened in the
   * last few seconds may not be listed yet (its statistics interval).
   */
  closeConnections(vhost: string): Promise<number>;
  /**
   * Makes (or updates) a user with no management tags, with these permissions on a vhost only:
   * the services' own users of a least-privilege test. Remove it with {@link removeUser}.
   */
  addUser(name: string, password: string, vhost: string, permissions: { configure: string; write: string; read: string }): Promise<void>;
  removeUser(name: string): Promise<void>;
}

const userOf = (amqpUrl: string) => decodeURIComponent(new URL(amqpUrl).username || 'guest');
const passwordOf = (amqpUrl: string) => decodeURIComponent(new URL(amqpUrl).password || 'guest');

function rabbitmqctlAdmin(command: string, amqpUrl: string): VhostAdmin {
  const ctl = async (...args: string[]) => (await run(command, ['-q', ...args], { timeout: 30_000 })).stdout;
  const connections = async (vhost: string) =>
    (await ctl('list_connections', '--no-table-headers', 'vhost', 'name'))
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([name]) => name === vhost)
      .map(([, connection]) => connection);
  return {
    via: 'rabbitmqctl',
    create: async (name) => {
      await ctl('add_vhost', name);
      await ctl('set_permissions', '-p', name, userOf(amqpUrl), '.*', '.*', '.*');
    },
    remove: async (name) => {
      await ctl('delete_vhost', name);
    },
    list: async () =>
      (await ctl('list_vhosts', '--no-table-headers', 'name'))
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    queues: async (vhost) =>
      (await ctl('list_queues', '-p', vhost, '--no-table-headers', 'name', 'type'))
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => {
          const [name, type] = line.trim().split(/\s+/);
          return { name, type };
        }),
    connections,
    closeConnections: async (vhost) => {
      const open = await connections(vhost);
      await ctl('close_all_connections', '-p', vhost, 'closed by a fault test');
      return open.length;
    },
    addUser: async (name, password, vhost, { configure, write, read }) => {
      await ctl('add_user', name, password).catch(() => ctl('change_password', name, password));
      await ctl('set_permissions', '-p', vhost, name, configure, write, read);
    },
    removeUser: async (name) => {
      await ctl('delete_user', name).catch(() => undefined);
    },
  };
}

function managementAdmin(baseUrl: string, amqpUrl: string): VhostAdmin {
  const authorization = `Basic ${Buffer.from(`${userOf(amqpUrl)}:${passwordOf(amqpUrl)}`).toString('base64')}`;
  const send = (method: string, path: string, body?: unknown) =>
    fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  const call = async (method: string, path: string, body?: unknown) => {
    // The server may close an idle keep-alive connection just as it is reused ("other side
    // closed"): every call here is idempotent, so a network failure is tried twice more.
    let response: Response | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await send(method, path, body);
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
      throw new Error(`${method} ${path}: ${response.status} ${(await response.text()).slice(0, 200)}`);
    }
    return response;
  };
  const vhostPath = (name: string) => `/api/vhosts/${encodeURIComponent(name)}`;
  const connections = async (vhost: string) =>
    ((await (await call('GET', `${vhostPath(vhost)}/connections?columns=name`)).json()) as Array<{ name: string }>).map(({ name }) => name);
  return {
    via: `management API ${baseUrl}`,
    create: async (name) => {
      await call('PUT', vhostPath(name), {});
      await call('PUT', `/api/permissions/${encodeURIComponent(name)}/${encodeURIComponent(userOf(amqpUrl))}`, {
        configure: '.*',
        write: '.*',
        read: '.*',
      });
    },
    remove: async (name) => {
      await call('DELETE', vhostPath(name));
    },
    list: async () => ((await (await call('GET', '/api/vhosts?columns=name')).json()) as Array<{ name: string }>).map((v) => v.name),
    queues: async (vhost) =>
      ((await (await call('GET', `/api/queues/${encodeURIComponent(vhost)}?columns=name,type`)).json()) as Array<{ name: string; type: string }>).map(
        ({ name, type }) => ({ name, type }),
      ),
    connections,
    closeConnections: async (vhost) => {
      const open = await connections(vhost);
      for (const name of open) await call('DELETE', `/api/connections/${encodeURIComponent(name)}`);
      return open.length;
    },
    addUser: async (name, password, vhost, permissions) => {
      await call('PUT', `/api/users/${encodeURIComponent(name)}`, { password, tags: '' });
      await call('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`, permissions);
    },
    removeUser: async (name) => {
      await call('DELETE', `/api/users/${encodeURIComponent(name)}`);
    },
  };
}

const admins = new Map<string, Promise<VhostAdmin>>();

/**
 * The first way of administering vhosts that works on the broker of `amqpUrl`: the management
 * HTTP API (fast), then `rabbitmqctl` (a second or two a call). Rejects, naming both reasons, when neither does: a test run that
 * cannot isolate itself must not fall back to a shared vhost.
 */
export function vhostAdmin(amqpUrl = TEST_RABBITMQ_URL, options: VhostAdminOptions = {}): Promise<VhostAdmin> {
  const rabbitmqctl = options.rabbitmqctl ?? process.env.RABBITMQCTL ?? 'rabbitmqctl';
  const host = new URL(amqpUrl).hostname;
  const managementUrl = options.managementUrl ?? process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? `http://${host}:15672`;
  const cacheKey = JSON.stringify([amqpUrl, rabbitmqctl, managementUrl]);
  let admin = admins.get(cacheKey);
  if (!admin) {
    admin = chooseAdmin([managementAdmin(managementUrl, amqpUrl), rabbitmqctlAdmin(rabbitmqctl, amqpUrl)]);
    admin.catch(() => admins.delete(cacheKey));
    admins.set(cacheKey, admin);
  }
  return admin;
}

async function chooseAdmin(candidates: VhostAdmin[]): Promise<VhostAdmin> {
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      await candidate.list();
      return candidate;
    } catch (error) {
      failures.push(`${candidate.via}: ${firstLine(error)}`);
    }
  }
  throw new Error(
    `Cannot create a RabbitMQ vhost for the tests, so they cannot run isolated from other runs:\n  ${failures.join('\n  ')}\n` +
      'Run the tests where rabbitmqctl reaches the broker (same Erlang cookie), or enable the management plugin ' +
      '(rabbitmq-plugins enable rabbitmq_management; TEST_RABBITMQ_MANAGEMENT_URL if not on port 15672).',
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.message}${error.cause ? ` (${firstLine(error.cause)})` : ''}` : String(error);
  return text.split('\n').find((line) => line.trim().length > 0)?.trim() ?? text;
}

/** The vhost an AMQP URL names (`/` when it names none). */
export function vhostOf(amqpUrl: string): string {
  return decodeURIComponent(new URL(amqpUrl).pathname.slice(1)) || '/';
}

/** `amqpUrl` with its vhost replaced. */
export function withVhost(amqpUrl: string, name: string): string {
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/**
 * A RabbitMQ virtual host of the test's own: the services' real queue names (skald.orders, …)
 * never meet a developer's running suite, another test or an earlier run, and the test starts on
 * a broker that has never seen Skald (it must declare every exchange it uses). Fails when no
 * vhost can be made (see {@link vhostAdmin}).
 */
export async function createTestVhost(prefix = 'test', baseUrl = TEST_RABBITMQ_URL, options: VhostAdminOptions = {}): Promise<TestVhost> {
  const admin = await vhostAdmin(baseUrl, options);
  const name = [TEST_RUN_TAG, prefix, randomBytes(4).toString('hex')].filter(Boolean).join('-');
  await admin.create(name);
  return {
    url: withVhost(baseUrl, name),
    remove: async () => {
      await admin.remove(name).catch(() => undefined);
    },
  };
}

/** Deletes every vhost whose name starts with `tag` (a test run's leftovers); returns their names. */
export async function removeVhostsTagged(tag: string, baseUrl = TEST_RABBITMQ_URL, options: VhostAdminOptions = {}): Promise<string[]> {
  if (!tag) throw new Error('removeVhostsTagged needs a non-empty tag');
  const admin = await vhostAdmin(baseUrl, options);
  const tagged = (await admin.list()).filter((name) => name === tag || name.startsWith(`${tag}-`));
  for (const name of tagged) await admin.remove(name);
  return tagged;
}
