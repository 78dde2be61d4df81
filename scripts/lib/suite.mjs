// Starts and stops the six Skald services as child processes from their compiled dist/.
// Used by `npm start` (local PostgreSQL and RabbitMQ) and by the end-to-end tests' shared suite.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The services and their default ports (each overridable by PORT). */
export const SERVICES = [
  { name: 'gateway', port: 3000 },
  { name: 'orders', port: 3001 },
  { name: 'inventory', port: 3002 },
  { name: 'warehouse', port: 3003 },
  { name: 'returns', port: 3004 },
  { name: 'notifications', port: 3005 },
];

export const serviceDir = (name) => path.join(root, 'services', name);

/**
 * Where the gateway finds the services it forwards to (ORDERS_URL, INVENTORY_URL, WAREHOUSE_URL,
 * RETURNS_URL, NOTIFICATIONS_URL), given each service's URL by name.
 * @param {(name: string) => string} urlOf
 */
export function gatewayUpstreams(urlOf) {
  return { ORDERS_URL: urlOf('orders'), INVENTORY_URL: urlOf('inventory'), WAREHOUSE_URL: urlOf('warehouse'), RETURNS_URL: urlOf('returns'), NOTIFICATIONS_URL: urlOf('notifications') };
}

/**
 * V8 heap settings of a service process (as in the Docker image, which deploy/docker/test checks):
 * a small young generation and a bounded old one (docs/adr/0003, Memory).
 */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=2 --max-old-space-size=128';

/**
 * glibc malloc arenas of a service process (MALLOC_ARENA_MAX, as in the Docker image): fewer arenas
 * keep native memory (sockets, buffers) compact under load (docs/adr/0003, Memory).
 */
export const SERVICE_MALLOC_ARENA_MAX = '2';

/**
 * V8 flags of a service process, on node's command line (NODE_OPTIONS refuses them; as in the
 * image's CMD, which deploy/docker/test checks), for peak memory at no CPU cost (docs/adr/0003,
 * Memory): with `--no-maglev-destroy-on-background` a finished Maglev compilation job (its zone, a
 * few hundred KB of graph) is freed on the main thread as soon as its code is installed, instead of
 * waiting for a background task; on two busy cores those waiting jobs piled up to 10–15 MB of
 * malloc at once, which glibc then keeps. `SKALD_SERVICE_V8_FLAGS` (space-separated) replaces them
 * for an experiment.
 */
export const SERVICE_V8_FLAGS = ['--no-maglev-destroy-on-background'];

/**
 * How a service process starts: its V8 flags, the OpenTelemetry SDK first (`--import`, before the
 * application's modules load, so they can be instrumented), then the service (docs/adr/0003).
 */
export const SERVICE_ENTRY = [...SERVICE_V8_FLAGS, '--import', '@skald/service-kit/instrument', 'dist/main.js'];

/** The V8 flags a service process starts with here: SERVICE_V8_FLAGS, unless SKALD_SERVICE_V8_FLAGS is set. */
export function serviceV8Flags(env = process.env) {
  return env.SKALD_SERVICE_V8_FLAGS === undefined ? SERVICE_V8_FLAGS : env.SKALD_SERVICE_V8_FLAGS.split(' ').filter(Boolean);
}

/** The node arguments a service process starts with here: SERVICE_ENTRY with serviceV8Flags() in front. */
export function serviceEntry(env = process.env) {
  return [...serviceV8Flags(env), ...SERVICE_ENTRY.slice(SERVICE_V8_FLAGS.length)];
}

/**
 * A fresh INTERNAL_API_TOKEN: the secret the gateway shows the services (docs/adr/0009). Every
 * run of the suite makes its own unless INTERNAL_API_TOKEN is set in the environment.
 */
export function newInternalToken() {
  return randomBytes(32).toString('base64url');
}

/** A TCP port that is free right now (the OS picks it), for services under test. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A promise that never settles: no process to watch. */
const NEVER = new Promise((resolve) => void resolve);

/** The default `onLine`: output lines are not looked at. */
function ignoreLine(line) {
  return line;
}

/** Polls /health/ready until it answers 200; gives up early if `exited` settles first. */
export async function waitUntilReady(url, timeoutMs = 60_000, exited = NEVER) {
  let gone;
  exited.then((exit) => (gone = exit));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(gone ? `exited (${gone.code ?? gone.signal}) before it was ready` : `${url} not ready after ${timeoutMs} ms: ${last}`);
}

/**
 * Starts one service on `env.PORT`; `ready` resolves with its URL once /health/ready answers 200,
 * and rejects with the service's output if it exits first. `onLine` sees every output line.
 * Without an INTERNAL_API_TOKEN (in `env` or the environment) it gets a fresh one of its own;
 * `internalToken` is the one it was given.
 */
export function startService(name, env, { onLine = ignoreLine, timeoutMs = 60_000 } = {}) {
  const internalToken = env.INTERNAL_API_TOKEN || process.env.INTERNAL_API_TOKEN || newInternalToken();
  const child = spawn(process.execPath, serviceEntry(), {
    cwd: serviceDir(name),
    env: {
      ...process.env,
      NODE_OPTIONS: process.env.SKALD_SERVICE_NODE_OPTIONS ?? SERVICE_NODE_OPTIONS,
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? SERVICE_MALLOC_ARENA_MAX,
      ...env,
      INTERNAL_API_TOKEN: internalToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const watch = (stream) =>
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > 500) output.shift();
      onLine(line);
    });
  watch(child.stdout);
  watch(child.stderr);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${env.PORT}`;
  const ready = waitUntilReady(url, timeoutMs, exited).then(
    () => url,
    (error) => {
      throw new Error(`${name}: ${error.message}\n${output.join('\n')}`);
    },
  );
  return { name, url, child, ready, exited, output, internalToken: internalToken.split(',')[0].trim() };
}

/**
 * Starts all six services and waits until each is ready. They share one INTERNAL_API_TOKEN: the
 * environment's, else a fresh one for this run; `internalToken` is what the gateway sends.
 * With `replicas` > 1, that many processes of each service (on the same database and queues, as
 * replicas of a Deployment are), each with the environment `envFor` gives for its replica.
 * @param envFor (name, defaultPort, replica) => environment of that process (PORT required), or a promise of it
 */
export async function startSuite(envFor, options = {}) {
  const token = process.env.INTERNAL_API_TOKEN || newInternalToken();
  const replicas = options.replicas ?? 1;
  const processes = SERVICES.flatMap(({ name, port }) => Array.from({ length: replicas }, (_, replica) => ({ name, port, replica })));
  const envs = await Promise.all(processes.map(async ({ name, port, replica }) => ({ INTERNAL_API_TOKEN: token, ...(await envFor(name, port, replica)) })));
  const started = processes.map(({ name, replica }, i) => ({ ...startService(name, envs[i], options), replica }));
  try {
    await Promise.all(started.map((s) => s.ready));
    return {
      services: started,
      urls: Object.fromEntries(started.filter((s) => s.replica === 0).map((s) => [s.name, s.url])),
      replicaUrls: Object.fromEntries(SERVICES.map(({ name }) => [name, started.filter((s) => s.name === name).map((s) => s.url)])),
      internalToken: started.find((s) => s.name === 'gateway').internalToken,
    };
  } catch (error) {
    await stopSuite({ services: started });
    throw error;
  }
}

/** SIGTERM to every service; resolves with each exit. */
export async function stopSuite(suite) {
  return Promise.all(
    suite.services.map(async (service) => {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM');
      return { name: service.name, ...(await service.exited) };
    }),
  );
}
