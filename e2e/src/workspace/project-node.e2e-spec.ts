import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../../..');
const run = promisify(execFile);
const projectVersion = async () => (await readFile(path.join(root, '.node-version'), 'utf8')).trim();

/**
 * A copy of the two files `scripts/use-node.sh` reads (itself and .node-version) in a folder of the
 * test's own, so the fetch goes into that folder's .tools/, and a `node` on PATH that is Node 20.
 */
async function checkoutWithOldNode(): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'skald-use-node-'));
  await mkdir(path.join(dir, 'scripts'));
  await mkdir(path.join(dir, 'old-node'));
  await copyFile(path.join(root, 'scripts/use-node.sh'), path.join(dir, 'scripts/use-node.sh'));
  await copyFile(path.join(root, '.node-version'), path.join(dir, '.node-version'));
  // Says it is Node 20 when asked its version; runs anything else (npm, say) on this Node.
  const oldNode = path.join(dir, 'old-node/node');
  const version = `[ "$1" = "-p" ] && [ "$2" = "process.versions.node" ] && { echo 20.20.2; exit 0; }`;
  await writeFile(oldNode, `#!/bin/sh\n${version}\nexec ${process.execPath} "$@"\n`);
  await chmod(oldNode, 0o755);
  const npmDir = path.dirname((await run('bash', ['-c', 'command -v npm'])).stdout.trim());
  // The old node first; npm (a script run by whichever node is first) from this machine.
  return { dir, path: [path.dirname(oldNode), npmDir, '/usr/bin', '/bin'].join(':') };
}

describe('scripts/use-node.sh: the project Node on a machine with another one', () => {
  // The machine's environment but PATH: npm needs what it has (the registry's CA certificates, say).
  it('fetches the version in .node-version from the npm registry once, puts it first on PATH, and keeps it for the next shell', async () => {
    const version = await projectVersion();
    const { dir, path: PATH } = await checkoutWithOldNode();
    const sourced = `source ${dir}/scripts/use-node.sh && node -p process.versions.node && command -v node`;
    try {
      const first = await run('/bin/bash', ['-c', sourced], { env: { ...process.env, PATH }, timeout: 120_000 });
      expect(first.stdout.split('\n').slice(0, 2)).toEqual([version, path.join(dir, `.tools/node-${version}/bin/node`)]);
      expect(first.stderr).toMatch(new RegExp(`fetching node-linux-(x64|arm64)@${version.replace(/\./g, '\\.')} from the npm registry`));

      const again = await run('/bin/bash', ['-c', sourced], { env: { ...process.env, PATH } });
      expect(again.stdout.split('\n')[0]).toBe(version);
      expect(again.stderr).not.toMatch(/fetching/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('changes nothing when the node on PATH already has the project major', async () => {
    const version = await projectVersion();
    expect(process.versions.node.split('.')[0]).toBe(version.split('.')[0]); // npm test runs on it
    const { stdout, stderr } = await run('bash', ['-c', `source ${root}/scripts/use-node.sh && command -v node`], { env: { ...process.env } });
    expect(stdout.trim()).toBe((await run('bash', ['-c', 'command -v node'])).stdout.trim());
    expect(stderr).toBe('');
  });

  it('refuses, without leaving the sourcing shell, when npm is missing to fetch it', async () => {
    const { dir } = await checkoutWithOldNode();
    try {
      // PATH: the old node and the few commands the script needs before it looks for npm.
      for (const tool of ['dirname', 'tr', 'uname']) {
        await symlink((await run('bash', ['-c', `command -v ${tool}`])).stdout.trim(), path.join(dir, 'old-node', tool));
      }
      const script = `source ${dir}/scripts/use-node.sh; echo "returned $?"`;
      const { stdout, stderr } = await run('/bin/bash', ['-c', script], { env: { ...process.env, PATH: `${dir}/old-node` } });
      expect(stdout.trim()).toBe('returned 1');
      expect(stderr).toMatch(/npm is needed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
