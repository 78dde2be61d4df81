// `npm start`: makes sure PostgreSQL and RabbitMQ are running exactly as `npm test` does
// (scripts/ensure-infra.sh: starts them, or installs them from Debian's packages as root, when they
// are not), builds (cached), then runs all six services against them.
// Each service gets its own database on the server (created on start): skald_<service>.
// Environment: SKALD_POSTGRES_URL (server, default postgres://postgres@127.0.0.1:5432),
// <SERVICE>_DATABASE_URL to point one service elsewhere, <SERVICE>_PORT to move one (the gateway
// follows), RABBITMQ_URL, LOG_LEVEL,
// INTERNAL_API_TOKEN (the secret the gateway shows the services; a random one per run otherwise),
// WEBHOOK_SECRET_KEY (else the local key below), WEBHOOK_ALLOW_PRIVATE_NETWORKS (default false:
// webhooks reach the public internet only, as in production; set it to subscribe a local receiver).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { requireProjectNode } from './lib/project-node.mjs';
import { gatewayUpstreams, root, SERVICES, startSuite, stopSuite } from './lib/suite.mjs';

requireProjectNode('npm start');

const rabbitmq = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * The key webhook secrets are sealed with (gateway and notifications share it). Generated once into
 * tmp/dev/ (git-ignored) and reused, since the databases it seals secrets in persist between runs;
 * a key per run would leave every stored subscription unable to sign (docs/adr/0010).
 */
function localWebhookSecretKey() {
  const file = path.join(root, 'tmp/dev/webhook-secret-key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}
const webhookSecretKey = process.env.WEBHOOK_SECRET_KEY ?? localWebhookSecretKey();

try {
  execFileSync('bash', [path.join(root, 'scripts/ensure-infra.sh')], { stdio: 'inherit' });
} catch (error) {
  // ensure-infra.sh has said what is wrong.
  process.stderr.write(`npm start: PostgreSQL and RabbitMQ are not both available (exit ${error.status ?? error.message})\n`);
  process.exit(1);
}

if (!process.argv.includes('--no-build')) {
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
}
// Built above: where each service's database is, as the gateway's CLI finds it too.
const { localDatabaseUrl } = await import('@skald/persistence');

/** A service's port: <SERVICE>_PORT, else its default. */
const portOf = (name) => process.env[`${name.toUpperCase()}_PORT`] ?? String(SERVICES.find((s) => s.name === name).port);

const started = Date.now();
const suite = await startSuite(
  (name) => ({
    PORT: portOf(name),
    DATABASE_URL: localDatabaseUrl(name, process.env).url,
    RABBITMQ_URL: rabbitmq,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...(name === 'gateway' || name === 'notifications' ? { WEBHOOK_SECRET_KEY: webhookSecretKey } : {}),
    // The gateway forwards to the services on their ports (also when <SERVICE>_PORT moved one).
    ...(name === 'gateway' ? gatewayUpstreams((upstream) => `http://127.0.0.1:${portOf(upstream)}`) : {}),
  }),
  { onLine: (line) => process.stdout.write(`${line}\n`) },
);

process.stdout.write(`\nSkald is ready in ${((Date.now() - started) / 1000).toFixed(1)} s:\n`);
for (const { name } of SERVICES) process.stdout.write(`  ${name.padEnd(14)} ${suite.urls[name]}  (docs: ${suite.urls[name]}/docs)\n`);
// The token itself is never printed: set INTERNAL_API_TOKEN to call a service (or its docs) directly.
process.stdout.write(
  `Only the gateway may call the other services (header x-skald-internal-token): they share ${
    process.env.INTERNAL_API_TOKEN ? 'your INTERNAL_API_TOKEN' : 'an INTERNAL_API_TOKEN made for this run'
  }.\n`,
);
process.stdout.write('Ctrl-C stops all services gracefully.\n\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const exits = await stopSuite(suite);
  const unclean = exits.filter((e) => e.code !== 0);
  for (const e of unclean) process.stderr.write(`${e.name} exited with ${e.code ?? e.signal}\n`);
  process.exit(unclean.length ? 1 : 0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const service of suite.services) {
  service.exited.then(({ code, signal }) => {
    if (!stopping) {
      process.stderr.write(`${service.name} stopped unexpectedly (${code ?? signal}); stopping the suite\n`);
      void stop();
    }
  });
}
