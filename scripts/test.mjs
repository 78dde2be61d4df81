// `npm test`: the whole check, as CI runs it. Runs on the project's Node.js only (.node-version;
// `source scripts/use-node.sh` first), checks that package-lock.json is complete and current (an
// install would not change it), makes sure PostgreSQL and RabbitMQ are up (starting
// or installing them if needed), validates docker-compose.yml and deploy/observability (alert
// rules and their tests, the Grafana dashboard's queries: promtool), makes sure Chromium is there for
// the ops console's browser test, builds, type-checks and lints every project, then runs every test suite against the real database and broker,
// and last the order-saga and returns end-to-end flows against two replicas of every service.
//
// Every run is a fresh-machine run: it makes a RabbitMQ vhost of its own (TEST_RABBITMQ_URL) and
// tags every vhost and database its tests create with its run tag (SKALD_TEST_RUN), and removes
// all of them at the end, passed or failed. Nothing an earlier run left (exchanges, queues,
// databases) is seen, and nothing this run makes is left behind.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireProjectNode } from './lib/project-node.mjs';

requireProjectNode('npm test');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false' };

/** Runs one step: a command with its arguments, or a function. */
function step(title, command, args) {
  process.stdout.write(`\n=== ${title}\n`);
  const started = Date.now();
  if (typeof command === 'function') command();
  else execFileSync(command, args, { cwd: root, stdio: 'inherit', env });
  process.stdout.write(`=== ${title}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

/**
 * Runs commands side by side, each reported as a step, and throws the first failure once all have
 * finished (a failure does not cut the others short: their results are worth reading). Their
 * output interleaves as it comes; a failed step's last lines, and then the failures its test suites
 * reported, are printed again at the end, where whoever reads a long CI log (or only its tail)
 * finds why it failed.
 */
async function concurrentSteps(steps) {
  const results = await Promise.allSettled(
    steps.map(({ title, command, args, cwd = root }) => {
      process.stdout.write(`\n=== ${title} (started alongside: ${steps.filter((s) => s.title !== title).map((s) => s.title).join(', ')})\n`);
      const started = Date.now();
      return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ['inherit', 'pipe', 'pipe'], env });
        const tail = new OutputTail(FAILED_STEP_TAIL_LINES);
        const reports = new TestFailureExcerpts();
        const record = (chunk) => (tail.push(chunk), reports.push(chunk));
        child.stdout.on('data', (chunk) => (process.stdout.write(chunk), record(chunk)));
        child.stderr.on('data', (chunk) => (process.stderr.write(chunk), record(chunk)));
        child.on('error', reject);
        child.on('close', (code, signal) => {
          if (code === 0) {
            process.stdout.write(`=== ${title}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
            resolve();
          } else {
            const error = new Error(`${title}: \`${command} ${args.join(' ')}\` exited with ${code ?? signal}`);
            reject(Object.assign(error, { status: code ?? 1, title, tail: tail.text(), reported: reports.text() }));
          }
        });
      });
    }),
  );
  const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  for (const { title, tail, reported } of failures.filter((f) => f.tail !== undefined)) {
    process.stderr.write(`\n=== ${title} failed; the last ${FAILED_STEP_TAIL_LINES} lines of its output:\n${tail}\n=== (end of ${title})\n`);
    if (reported) process.stderr.write(`\n=== ${title} failed; the failures its test suites reported:\n${reported}\n=== (end of ${title}'s failures)\n`);
  }
  if (failures.length > 0) throw failures[0];
}

const FAILED_STEP_TAIL_LINES = 200;

/** The last `size` lines of a stream's output. */
class OutputTail {
  #lines = [];
  #partial = '';
  constructor(size) {
    this.size = size;
  }
  push(chunk) {
    const lines = (this.#partial + chunk.toString('utf8')).split('\n');
    this.#partial = lines.pop() ?? '';
    this.#lines.push(...lines);
    if (this.#lines.length > this.size) this.#lines.splice(0, this.#lines.length - this.size);
  }
  text() {
    return (this.#partial ? [...this.#lines, this.#partial] : this.#lines).slice(-this.size).join('\n');
  }
}

/**
 * Jest's reports of failed suites and tests (a `FAIL` line, each `●` heading and the lines after
 * it), kept as they stream by: in a step that runs many projects one after another, a failure
 * early on is long gone from the output's tail by the time the step ends.
 */
class TestFailureExcerpts {
  static LINES_AFTER_HEADING = 30;
  static MAX_LINES = 150; // the end of a CI log is what its reader sees first
  #lines = [];
  #partial = '';
  #following = 0;
  push(chunk) {
    const lines = (this.#partial + chunk.toString('utf8')).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
      if (/^\s*(FAIL\s|● )/.test(plain)) this.#following = TestFailureExcerpts.LINES_AFTER_HEADING;
      else if (this.#following === 0) continue;
      else this.#following -= 1;
      if (this.#lines.length < TestFailureExcerpts.MAX_LINES) this.#lines.push(line);
    }
  }
  text() {
    const full = this.#lines.length >= TestFailureExcerpts.MAX_LINES ? `\n(… only the first ${TestFailureExcerpts.MAX_LINES} lines)` : '';
    return this.#lines.join('\n') + full;
  }
}

/**
 * Fails when an install would change package-lock.json: a dependency added to a package.json but
 * not locked, or entries missing (other platforms' optional builds, say), which `npm ci` in the
 * images and on other machines would refuse. The lock is put back as it was either way.
 */
function lockFileIsCurrent() {
  const lock = path.join(root, 'package-lock.json');
  const committed = readFileSync(lock, 'utf8');
  try {
    execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit', env });
    const resolved = readFileSync(lock, 'utf8');
    if (resolved !== committed) {
      const changed = changedLockEntries(JSON.parse(committed), JSON.parse(resolved));
      throw new Error(`package-lock.json is not what an install makes of the package.json files; run \`npm install\` and commit the lock. Entries that differ: ${changed.slice(0, 20).join(', ') || '(formatting only)'}${changed.length > 20 ? `, … ${changed.length - 20} more` : ''}`);
    }
  } finally {
    writeFileSync(lock, committed);
  }
}

/** The lock's package paths that were added, removed or changed between two versions of it. */
function changedLockEntries(before, after) {
  const paths = new Set([...Object.keys(before.packages ?? {}), ...Object.keys(after.packages ?? {})]);
  return [...paths].filter((p) => JSON.stringify(before.packages?.[p]) !== JSON.stringify(after.packages?.[p])).map((p) => p || '(root)');
}

/** Runs the test suites in a vhost and databases of this run's own; removes them afterwards. */
async function testsInIsolation() {
  const tag = `t${randomBytes(4).toString('hex')}`;
  process.env.SKALD_TEST_RUN = tag; // read by the helpers below when they name what they create
  // Built by the step before: the same helpers the tests use.
  const { createTestVhost, removeVhostsTagged, TEST_RABBITMQ_URL } = await import('@skald/testing');
  const { dropDatabasesTagged } = await import('@skald/persistence');
  const base = process.env.TEST_RABBITMQ_URL ?? TEST_RABBITMQ_URL;
  const vhost = await createTestVhost('run', base);
  Object.assign(env, { SKALD_TEST_RUN: tag, TEST_RABBITMQ_URL: vhost.url });
  process.stdout.write(`\ntest run ${tag}: RabbitMQ vhost ${decodeURIComponent(new URL(vhost.url).pathname.slice(1))}, databases ${tag}_*\n`);
  try {
    // The end-to-end suite is the longest project by far: it starts at once, beside every other
    // project's tests one after another (Nx would start it last, once a slot is free), so the step
    // lasts about as long as it does. Both run on the builds of the step before.
    await concurrentSteps([
      { title: 'end-to-end tests (e2e)', command: 'npx', args: ['jest'], cwd: path.join(root, 'e2e') },
      { title: "every other project's tests", command: 'npx', args: ['nx', 'run-many', '-t', 'test', '--exclude=@skald/e2e', '--parallel=1', '--output-style=static'] },
    ]);
    // After the others, alone: its twelve service processes and another suite would overload the
    // machine and the PostgreSQL server's connections.
    step('order-saga and returns flows against two replicas of every service', 'npx', ['nx', 'run', '@skald/e2e:test-replicas', '--output-style=static']);
  } finally {
    // Cleaning up must not hide how the tests went: a failure here is reported, not thrown.
    const removed = await Promise.allSettled([removeVhostsTagged(tag, base), dropDatabasesTagged(tag)]);
    const [vhosts, databases] = removed.map((r) => (r.status === 'fulfilled' ? `${r.value.length}` : `? (${r.reason?.message})`));
    const failed = removed.some((r) => r.status === 'rejected');
    process.stdout.write(`test run ${tag}: removed ${vhosts} vhost(s) and ${databases} database(s)${failed ? ` — remove what is left of ${tag} by hand` : ''}\n`);
  }
}

try {
  step('package-lock.json is complete and current', lockFileIsCurrent);
  step('infrastructure (PostgreSQL, RabbitMQ)', 'bash', ['scripts/ensure-infra.sh']);
  step('docker-compose.yml', 'bash', ['scripts/validate-compose.sh']);
  step('alert rules and dashboard (promtool)', 'bash', ['scripts/validate-observability.sh']);
  step('browser for the ops console test (Chromium)', 'bash', ['scripts/ensure-browser.sh']);
  step('build', 'npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);
  step('typecheck and lint', 'npx', ['nx', 'run-many', '-t', 'typecheck', 'lint', '--output-style=static']);
  await testsInIsolation();
} catch (error) {
  // A failed step has already printed its output; anything else (no vhost, say) explains itself.
  const message = typeof error.status === 'number' ? error.message.split('\n')[0] : error.message;
  process.stderr.write(`\nnpm test failed: ${message}\n`);
  process.exit(typeof error.status === 'number' && error.status > 0 ? error.status : 1);
}
