// The Node.js the project runs on: the major version in .node-version (the current LTS, what the
// Docker images run). `npm test` and `npm start` refuse another one, so the tests run on the Node
// the images run; `source scripts/use-node.sh` puts it first on PATH (fetching it when missing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The version in .node-version, e.g. "26.12.1". */
export const projectNodeVersion = readFileSync(path.join(root, '.node-version'), 'utf8').trim();

/** Exits 1 with what to do when this process runs on another major version than the project's. */
export function requireProjectNode(command) {
  const major = projectNodeVersion.split('.')[0];
  if (process.versions.node.split('.')[0] === major) return;
  process.stderr.write(
    `${command} runs on Node.js ${major} (.node-version: ${projectNodeVersion}, as the images do); this is Node.js ${process.versions.node}.\n` +
      `Run it as: source scripts/use-node.sh && ${command}\n`,
  );
  process.exit(1);
}
