// Writes the least-privilege artefacts from libs/messaging/src/topology/least-privilege.ts (the one
// source of truth): deploy/least-privilege/postgres-roles.sh and rabbitmq-users.sh, and the
// permissions table in docs/operations.md. `npm test` fails when they differ from what the code
// generates (least-privilege.spec.ts, which this runs in its writing mode). Commit them with the change.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { root } from './lib/suite.mjs';

execFileSync('npx', ['jest', 'src/topology/least-privilege.spec.ts'], {
  cwd: path.join(root, 'libs/messaging'),
  stdio: 'inherit',
  env: { ...process.env, SKALD_WRITE_LEAST_PRIVILEGE: 'true' },
});
process.stdout.write('wrote deploy/least-privilege/*.sh and the table in docs/operations.md\n');
