/**
 * deploy/docker/service.Dockerfile keeps the rules of issue #12 without a Docker engine to build it:
 * the current Node LTS pinned, `npm ci` (production stage `--omit=dev`), a non-root user on a tree
 * it cannot write to (read-only root filesystem), node as PID 1 in exec form (signals reach it),
 * a HEALTHCHECK, no `latest`, no remote ADD, no secrets baked in; and .dockerignore keeps the
 * context to what the Dockerfile copies. (Debian has no hadolint package; these are its rules that
 * matter here, plus ours.)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_ENTRY, SERVICE_MALLOC_ARENA_MAX, SERVICE_NODE_OPTIONS, SERVICE_V8_FLAGS, SERVICES } from '../../../scripts/lib/suite.mjs';
import { envVariables, inBuildContext, type Instruction, parseDockerfile, stage, type Stage } from './dockerfile.js';

const root = path.resolve(__dirname, '../../..');
const dockerfilePath = path.join(root, 'deploy/docker/service.Dockerfile');
const file = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
const dockerignore = readFileSync(path.join(root, '.dockerignore'), 'utf8');
const runtime = stage(file, -1);
const stageNames = new Set(file.stages.map((s) => s.name));
const all = file.stages.flatMap((s) => s.instructions);
const of = (s: Stage, keyword: string): Instruction[] => s.instructions.filter((i) => i.keyword === keyword);

/**
 * The Node major the project runs on: .node-version (or .nvmrc) when the repository pins one, else
 * 26, the current LTS (since 2026-10-28) that the images use and the project moves to.
 */
function projectNodeMajor(): number {
  for (const name of ['.node-version', '.nvmrc']) {
    const pinned = path.join(root, name);
    if (existsSync(pinned)) return Number(/^v?(\d+)/.exec(readFileSync(pinned, 'utf8').trim())![1]);
  }
  return 26;
}

/** The stages a stage's files come from: the one it starts FROM and those it COPYs --from, transitively. */
function lineage(start: Stage): Stage[] {
  const seen: Stage[] = [];
  const visit = (s: Stage) => {
    if (seen.includes(s)) return;
    seen.push(s);
    if (stageNames.has(s.from)) visit(stage(file, s.from));
    for (const copy of of(s, 'COPY')) if (copy.flags.from) visit(stage(file, copy.flags.from));
  };
  visit(start);
  return seen;
}

describe('base image', () => {
  const images = file.stages.map((s) => s.from).filter((from) => !stageNames.has(from));

  it('every stage starts from the same Node image, so the code runs on the Node it was built with', () => {
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images).size).toBe(1);
    expect(runtime.from).toBe(images[0]);
  });

  it('is the official node image of the current LTS, its tag pinned to that major and a Debian release', () => {
    const m = /^node:(\d+)(?:\.\d+\.\d+)?-([a-z]+)(-slim)?$/.exec(images[0]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(projectNodeMajor());
    // The project's engines accept the image's Node.
    const engines = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node as string;
    expect(Number(/(\d+)/.exec(engines)![1])).toBeLessThanOrEqual(Number(m![1]));
  });

  it('no image is `latest` or untagged', () => {
    for (const image of images) {
      expect(image).toMatch(/:[\w.-]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });
});

describe('dependencies', () => {
  const runs = all.filter((i) => i.keyword === 'RUN').map((i) => i.args);

  it('are installed with `npm ci` (exactly the lock), never `npm install`', () => {
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    for (const run of runs) expect(run).not.toMatch(/\bnpm (install|i|add|update)\b/);
  });

  it("the runtime's tree comes from `npm ci --omit=dev` of the one service's workspace", () => {
    // The build stage's full install stays there (it lends only /out: the next test).
    const installs = lineage(runtime)
      .filter((s) => s.name !== 'build')
      .flatMap((s) => of(s, 'RUN'))
      .flatMap((r) => r.args.split('&&'))
      .filter((c) => /\bnpm ci\b/.test(c));
    expect(installs).toEqual([expect.stringMatching(/--omit=dev/)]);
    expect(installs[0]).toMatch(/--workspace "?services\/\$\{?SERVICE\}?"?/);
  });

  it('the build stage lends the runtime its compiled output only, not its dev node_modules', () => {
    const build = stage(file, 'build');
    const fromBuild = lineage(runtime).flatMap((s) => of(s, 'COPY')).filter((c) => c.flags.from === build.name);
    expect(fromBuild.map((c) => c.args)).toEqual(['/out /out']);
    expect(of(build, 'RUN').some((r) => /cp -r --parents libs\/\*\/dist "services\/\$\{SERVICE\}\/dist" \/out\//.test(r.args))).toBe(true);
  });
});

describe('runtime stage', () => {
  it('runs as the unprivileged node user', () => {
    const users = of(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).toMatch(/^(node|1000)(:\S+)?$/);
  });

  it('cannot write to its own files (read-only root filesystem: the service writes only to /tmp)', () => {
    // Copied in as root, never chowned, no volume: with USER node nothing under /app is writable.
    const userAt = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    for (const instruction of runtime.instructions.slice(userAt + 1)) expect(['COPY', 'ADD', 'RUN', 'VOLUME']).not.toContain(instruction.keyword);
    for (const copy of of(runtime, 'COPY')) {
      expect(copy.flags.chown).toBeUndefined();
      expect(copy.flags.chmod).toBeUndefined();
    }
    for (const run of of(runtime, 'RUN')) expect(run.args).not.toMatch(/\bch(own|mod)\b/);
    expect(of(runtime, 'VOLUME')).toEqual([]);
  });

  it('starts node itself as PID 1 in exec form, so SIGTERM reaches the service (which drains and exits 0)', () => {
    const cmd = of(runtime, 'CMD').at(-1)!;
    expect(cmd.exec).toEqual(['node', ...SERVICE_V8_FLAGS, '--import', '@skald/service-kit/instrument', 'dist/main.js']);
    expect(of(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(of(runtime, 'STOPSIGNAL').map((s) => s.args)).toEqual(['SIGTERM']);
    // The handlers that make node as PID 1 safe (the kernel ignores default-action signals for PID 1).
    const runService = readFileSync(path.join(root, 'libs/service-kit/src/bootstrap/run-service.ts'), 'utf8');
    expect(runService).toMatch(/process\.once\('SIGTERM'/);
    expect(runService).toMatch(/process\.once\('SIGINT'/);
  });

  it('has a HEALTHCHECK in exec form asking the service whether it is alive', () => {
    const healthcheck = of(runtime, 'HEALTHCHECK').at(-1)!;
    expect(healthcheck.flags).toEqual(expect.objectContaining({ interval: expect.any(String), timeout: expect.any(String), 'start-period': expect.any(String) }));
    const m = /^CMD\s+(\[.*\])$/.exec(healthcheck.args)!;
    const argv = JSON.parse(m[1]) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toContain('/health/live');
  });

  it('runs a service as `npm start`, the end-to-end suite and the benchmarks do: same node arguments, heap and malloc settings', () => {
    // What the benchmarks measure (peak RSS, CPU per order) holds for the image only if it starts
    // the service the same way (docs/adr/0003, Memory); scripts/lib/suite.mjs is where they start it.
    const env = Object.assign({}, ...of(runtime, 'ENV').map(envVariables)) as Record<string, string>;
    expect(env.NODE_OPTIONS).toBe(SERVICE_NODE_OPTIONS);
    expect(env.MALLOC_ARENA_MAX).toBe(SERVICE_MALLOC_ARENA_MAX);
    expect(of(runtime, 'CMD').at(-1)!.exec).toEqual(['node', ...SERVICE_ENTRY]);
    // A package's own `npm start` too (its V8 flags included).
    for (const { name } of SERVICES) {
      const manifest = JSON.parse(readFileSync(path.join(root, 'services', name, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(manifest.scripts.start).toBe(['node', ...SERVICE_ENTRY].join(' '));
    }
  });

  it('is a production Node process on the port it was built for', () => {
    const env = Object.assign({}, ...of(runtime, 'ENV').map(envVariables)) as Record<string, string>;
    expect(env).toEqual(expect.objectContaining({ NODE_ENV: 'production', PORT: '${PORT}' }));
    expect(of(runtime, 'EXPOSE').map((e) => e.args)).toEqual(['${PORT}']);
  });
});

describe('hygiene', () => {
  it('no ADD (nothing fetched from URLs, no archives unpacked behind COPY’s back)', () => {
    expect(all.filter((i) => i.keyword === 'ADD')).toEqual([]);
  });

  it('no secret is baked in as an ARG or ENV', () => {
    const names = [
      ...Object.keys(file.globalArgs),
      ...all.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=')[0]),
      ...all.filter((i) => i.keyword === 'ENV').flatMap((i) => Object.keys(envVariables(i))),
    ];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).not.toMatch(/PASSWORD|PASSWD|TOKEN|SECRET|CREDENTIAL|PRIVATE|API_?KEY|_KEY$/i);
  });

  it('the build fails early without SERVICE and PORT', () => {
    const check = of(stage(file, 'build'), 'RUN').find((r) => r.args.includes('test -n "$SERVICE"'));
    expect(check?.args).toContain('test -n "$PORT"');
  });
});

describe('.dockerignore', () => {
  it('keeps everything the Dockerfile copies from the context', () => {
    const sources = all
      .filter((i) => i.keyword === 'COPY' && !i.flags.from)
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1))
      .map((s) => s.replace('${SERVICE}', 'orders'));
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'libs', 'services/orders']));
    for (const source of sources) expect({ source, kept: inBuildContext(dockerignore, source) }).toEqual({ source, kept: true });
    // The sources inside those folders too.
    for (const kept of ['libs/messaging/src/index.ts', 'libs/service-kit/package.json', 'services/orders/src/main.ts', 'services/orders/tsconfig.app.json']) {
      expect({ kept, in: inBuildContext(dockerignore, kept) }).toEqual({ kept, in: true });
    }
  });

  it('leaves out history, installed and built output, test artefacts and secrets', () => {
    const left = [
      '.git/HEAD',
      '.nx/cache/x',
      'node_modules/typeorm/package.json',
      'libs/messaging/node_modules/x/index.js',
      'services/orders/node_modules/.bin/x',
      'libs/messaging/dist/index.js',
      'services/orders/dist/main.js',
      'services/orders/tsconfig.app.tsbuildinfo',
      'services/orders/coverage/lcov.info',
      'e2e/artifacts/screenshot.png',
      'e2e/src/flows/orders.e2e-spec.ts',
      'tmp/dev/webhook-secret-key',
      '.env',
      '.env.local',
      'services/orders/.env',
      'deploy/compose/secrets.env',
      'deploy/compose/webhooks.env',
      'deploy/k8s/base/orders/deployment.yaml',
      'bench/orders/run.mjs',
      'docs/operations.md',
    ];
    for (const out of left) expect({ out, kept: inBuildContext(dockerignore, out) }).toEqual({ out, kept: false });
  });
});
