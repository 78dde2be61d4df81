// Summarises V8 CPU profiles (`node --cpu-prof`, one *.cpuprofile per service) into where the
// time went: self time grouped by package (typeorm, @nestjs/core, pg, class-validator, our own
// libraries, node core, GC) and the hottest functions. Used by `run.mjs --cpu-prof`; also runs
// on its own: node bench/orders/profile-summary.mjs <directory> [--top=8]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @param {string} dir   where the *.cpuprofile files are (named <service>.<run id>.cpuprofile)
 * @param {{ top?: number, windows?: Record<string, { fromEndMs: number, toEndMs: number }> }} options
 *        windows: per service, the part of the profile to count, as milliseconds before the
 *        profile's end (the process exit) — the measured run, without start-up and shutdown
 * @returns {string[]} lines to print
 */
export function summarizeProfiles(dir, { top = 8, windows = {} } = {}) {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort() : [];
  if (files.length === 0) return [`(no .cpuprofile files in ${dir})`];
  const lines = [];
  for (const file of files) {
    const service = file.split('.')[0];
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const { byPackage, inclusive, byFunction, activeMs, windowMs } = selfTimes(profile, windows[service]);
    const share = (ms) => `${((ms / activeMs) * 100).toFixed(0)}%`;
    // Samples are taken on a wall clock: on a CPU-starved machine, time the thread spent waiting
    // for a core after a system call is charged to that call (writev looks heavier than it is).
    lines.push(
      `${service}: busy in ${(activeMs / 1000).toFixed(1)} s of samples over ${(windowMs / 1000).toFixed(1)} s` +
        `${windows[service] ? ' (measured run only)' : ' (whole process life)'}`,
    );
    lines.push(
      `  by package: ${[...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${name} ${share(ms)}`).join(', ')}`,
    );
    // Inclusive: a sample counts for every package on its stack (what TypeORM costs with the pg,
    // node core and GC work it causes); shares add up to more than 100 %.
    lines.push(
      `  inclusive:  ${[...inclusive].filter(([name]) => !name.startsWith('(') && name !== 'node core' && name !== 'GC').sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${name} ${share(ms)}`).join(', ')}`,
    );
    lines.push('  hottest functions (self time):');
    for (const [name, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${share(ms).padStart(4)}  ${name}`);
  }
  return lines;
}

/** Self time per package and per function, from the samples (optionally within a window). */
function selfTimes(profile, window) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  // Packages on each node's stack, computed once per node.
  const stackPackages = new Map();
  const packagesOn = (id) => {
    let cached = stackPackages.get(id);
    if (cached) return cached;
    const parent = parents.get(id);
    cached = new Set(parent === undefined ? [] : packagesOn(parent));
    cached.add(packageOf(nodes.get(id).callFrame));
    stackPackages.set(id, cached);
    return cached;
  };
  const inclusive = new Map();
  const byPackage = new Map();
  const byFunction = new Map();
  let activeMs = 0;
  let t = profile.startTime;
  const from = window ? profile.endTime - window.fromEndMs * 1000 : -Infinity;
  const to = window ? profile.endTime - window.toEndMs * 1000 : Infinity;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    // A sample stands for the time until the next one.
    const ms = (i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0) / 1000;
    if (t < from || t > to) continue;
    const node = nodes.get(profile.samples[i]);
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') continue;
    activeMs += ms;
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    for (const onStack of packagesOn(node.id)) inclusive.set(onStack, (inclusive.get(onStack) ?? 0) + ms);
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  const windowMs = (Math.min(to, profile.endTime) - Math.max(from, profile.startTime)) / 1000;
  return { byPackage, inclusive, byFunction, activeMs, windowMs };
}

const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'writeAsciiString']);

function packageOf(frame) {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return '(program: V8/native)';
  if (functionName === '(root)') return '(root)';
  if (!url) return SOCKET_WRITES.has(functionName) ? 'socket writes (native)' : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const lib = /\/libs\/([^/]+)\//.exec(url);
  if (lib) return `@skald/${lib[1]}`;
  const service = /\/services\/([^/]+)\//.exec(url);
  if (service) return `service code (${service[1]})`;
  return 'other';
}

function shortUrl(url) {
  return url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/(libs|services)\//, '$1/');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/orders/profile-summary.mjs <directory of .cpuprofile files> [--top=8]');
    process.exit(2);
  }
  const top = Number(/^--top=(\d+)$/.exec(process.argv[3] ?? '')?.[1] ?? 8);
  for (const line of summarizeProfiles(dir, { top })) console.log(line);
}
