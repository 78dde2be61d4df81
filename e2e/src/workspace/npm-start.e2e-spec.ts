import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, SERVICES } from '../../../scripts/lib/suite.mjs';

const root = path.resolve(__dirname, '../../..');

/** Runs `npm start` (scripts/start.mjs) with `env` added, until it exits. */
function npmStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/start.mjs', '--no-build'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGINT'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start', () => {
  it('makes sure PostgreSQL and RabbitMQ run, as npm test does (scripts/ensure-infra.sh), before it starts any service', async () => {
    // A PostgreSQL port no cluster of this machine is configured on: ensure-infra.sh cannot start
    // one there and says so; `npm start` stops instead of starting services that cannot connect.
    const pgPort = await freePort();
    const servicePorts = Object.fromEntries(await Promise.all(SERVICES.map(async ({ name }) => [`${name.toUpperCase()}_PORT`, String(await freePort())])));

    const { code, stdout, stderr } = await npmStart({
      SKALD_PG_PORT: String(pgPort),
      SKALD_POSTGRES_URL: `postgres://postgres@127.0.0.1:${pgPort}`,
      SKALD_INFRA_TIMEOUT: '5',
      ...servicePorts,
    });

    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`ensure-infra: error: .*port ${pgPort}`));
    expect(stderr).toMatch(/npm start: PostgreSQL and RabbitMQ are not both available/);
    expect(stdout).not.toMatch(/Skald is ready/);
  });
});
