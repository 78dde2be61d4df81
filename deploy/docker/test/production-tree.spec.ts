/**
 * A service runs from its image's production tree alone. The Dockerfile's prod-deps commands
 * install the tree for real (npm from its cache) in a scratch folder, as the image's /app;
 * then:
 * - no test runner, test server, test library, build tool or other workspace is in it, and every
 *   package the service's compiled code (and the libraries it uses) loads is;
 * - with the compiled code added as the `app` stage adds it, the runtime stage's CMD starts the
 *   service there — the runtime stage's ENV, its WORKDIR — against local PostgreSQL (a scratch
 *   database) and RabbitMQ (a vhost of its own) until /health/ready answers; the image's
 *   HEALTHCHECK passes; SIGTERM ends it with exit code 0 (its own handler: node is PID 1 in the
 *   image); and it wrote nothing under the app (the image runs with a read-only root filesystem).
 *
 * Unpacking a tree costs tens of seconds of CPU, so `npm test` does this for notifications (the
 * largest tree; every image is assembled the same way, and production-dependencies.spec.ts checks
 * all six trees' contents by npm's dry run). IMAGE_TREES=all (or a comma-separated list of
 * services) runs it for others.
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@skald/persistence';
import { createTestVhost, type TestVhost } from '@skald/testing';
import { freePort, gatewayUpstreams, waitUntilReady } from '../../../scripts/lib/suite.mjs';
import { envVariables, stage, substitute } from './dockerfile.js';
import { dockerfile, importedPackages, installedPackages, isTestOrBuildTool, root, runProdDeps, scratchBase, type Service, services, sizeOf } from './production-tree.js';

const runtime = stage(dockerfile, -1);
const instructions = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword);

/** What a service needs besides its database, broker and port to become ready (as in the e2e suite). */
function serviceSpecific(service: Service): Record<string, string> {
  const webhooks = { WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') };
  // Nobody answers on these ports: readiness does not depend on the outside parties.
  const nowhere = 'http://127.0.0.1:9';
  if (service === 'gateway') return { ...gatewayUpstreams(() => nowhere), ...webhooks };
  if (service === 'notifications')
    return { ...webhooks, SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Skald <noreply@skald.test>', SMS_PROVIDER_URL: `${nowhere}/messages` };
  return {};
}

/** Every file under `dir` with its size and modification time (symlinks as links). */
function snapshot(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) snapshot(full, into);
    else {
      const stat = statSync(full, { throwIfNoEntry: false });
      into.set(full, stat ? `${stat.size} ${stat.mtimeMs}` : 'dangling');
    }
  }
  return into;
}

let vhost: TestVhost;
beforeAll(async () => {
  vhost = await createTestVhost('image');
});
afterAll(async () => {
  await vhost?.remove();
});

const chosen = process.env.IMAGE_TREES ?? 'notifications';
const trees = (chosen === 'all' ? Object.keys(services) : chosen.split(',').map((s) => s.trim())) as Service[];
for (const service of trees) if (!(service in services)) throw new Error(`IMAGE_TREES: no service ${service}`);

describe.each(trees)('%s from its production tree', (service) => {
  let app: string;
  let packages: Set<string>;
  let database: ScratchDatabase;
  /** The compiled code of the service and of the libraries left in its tree (the build's output). */
  const compiled = () => [`services/${service}`, ...readdirSync(path.join(app, 'libs')).map((lib) => `libs/${lib}`)];
  beforeAll(async () => {
    for (const dir of [`services/${service}`, 'libs/service-kit']) {
      if (!existsSync(path.join(root, dir, 'dist'))) throw new Error(`${dir}/dist is missing: build first (npx nx run-many -t build)`);
    }
    // On a busy machine npm takes a while to extract ~220 packages: the timeout is generous.
    app = scratchBase(service);
    runProdDeps(app, service, { dryRun: false });
    packages = installedPackages(app);
    // The app stage: the compiled code of each library left in the tree, and of the service.
    for (const dir of compiled()) cpSync(path.join(root, dir, 'dist'), path.join(app, dir, 'dist'), { recursive: true });
    database = await createScratchDatabase(`image_${service}`);
  }, 300_000);
  afterAll(async () => {
    await database?.drop();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('holds no test or build tooling and no other workspace', () => {
    expect(packages.size).toBeGreaterThan(50);
    expect(packages).toContain(`@skald/${service}`);
    expect([...packages].filter((name) => isTestOrBuildTool(name, service))).toEqual([]);
    expect(readdirSync(path.join(app, 'libs'))).not.toContain('testing');
    process.stdout.write(`${service}: ${packages.size} packages, node_modules ${(sizeOf(path.join(app, 'node_modules')) / 1e6).toFixed(0)} MB\n`);
  });

  it('holds every package its compiled code and its libraries load', () => {
    // The CMD's --import @skald/service-kit/instrument included.
    const loaded = new Set(['@skald/service-kit', ...compiled().flatMap((dir) => [...importedPackages(path.join(app, dir, 'dist'))])]);
    expect(loaded).toContain('@nestjs/core');
    expect([...loaded].filter((name) => !packages.has(name))).toEqual([]);
  });

  it('becomes ready, passes its HEALTHCHECK, stops on SIGTERM with exit code 0 and writes nothing under the app', async () => {
    const port = String(await freePort());
    const imageEnv = substitute(JSON.stringify(Object.assign({}, ...instructions('ENV').map(envVariables))), { PORT: port });
    const env = {
      PATH: process.env.PATH,
      ...(JSON.parse(imageEnv) as Record<string, string>),
      DATABASE_URL: database.url,
      RABBITMQ_URL: vhost.url,
      INTERNAL_API_TOKEN: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
      ...serviceSpecific(service),
    };
    const workdir = path.join(app, instructions('WORKDIR').at(-1)!.args.replace(/^\/app\//, '').replace('${SERVICE}', service));
    const before = snapshot(app);

    const [command, ...args] = instructions('CMD').at(-1)!.exec!;
    expect(command).toBe('node');
    const child = spawn(process.execPath, args, { cwd: workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      await waitUntilReady(`http://127.0.0.1:${port}`, 60_000, exited).catch((error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      });
      // The image's HEALTHCHECK command, run as Docker would (in the container's environment).
      const healthcheck = JSON.parse(/^CMD\s+(\[.*\])$/.exec(instructions('HEALTHCHECK').at(-1)!.args)![1]) as string[];
      execFileSync(process.execPath, healthcheck.slice(1), { cwd: workdir, env, stdio: 'pipe', timeout: 10_000 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect([...snapshot(app)]).toEqual([...before]);
  }, 120_000);
});
