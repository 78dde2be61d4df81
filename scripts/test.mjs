// `npm test`: the whole check, as CI runs it. Makes sure PostgreSQL and RabbitMQ are up (starting
// or installing them if needed), validates docker-compose.yml, builds, type-checks and lints every
// project, then runs every test suite against the real database and broker.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false' };

function step(title, command, args) {
  process.stdout.write(`\n=== ${title}\n`);
  const started = Date.now();
  execFileSync(command, args, { cwd: root, stdio: 'inherit', env });
  process.stdout.write(`=== ${title}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

try {
  step('infrastructure (PostgreSQL, RabbitMQ)', 'bash', ['scripts/ensure-infra.sh']);
  step('docker-compose.yml', 'bash', ['scripts/validate-compose.sh']);
  step('build', 'npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);
  step('typecheck and lint', 'npx', ['nx', 'run-many', '-t', 'typecheck', 'lint', '--output-style=static']);
  step('tests', 'npx', ['nx', 'run-many', '-t', 'test', '--parallel=2', '--output-style=static']);
} catch (error) {
  process.stderr.write(`\nnpm test failed: ${error.message.split('\n')[0]}\n`);
  process.exit(typeof error.status === 'number' && error.status > 0 ? error.status : 1);
}
