// `npm run docs:api`: writes the committed API documents from the code — docs/api/openapi.json (the
// gateway's public API) and docs/api/asyncapi.json (every message contract). `npm test` fails when
// they differ from what the code generates (services/gateway/src/docs/api-documents.int-spec.ts,
// which this runs in its writing mode). Needs PostgreSQL and RabbitMQ, like the tests: the gateway
// is started to ask it for its document.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { root } from './lib/suite.mjs';

const run = (command, args, options = {}) => execFileSync(command, args, { stdio: 'inherit', ...options, env: { ...process.env, NX_DAEMON: 'false', ...options.env } });

run('bash', [path.join(root, 'scripts/ensure-infra.sh')]);
run('npx', ['nx', 'run-many', '-t', 'build', '-p', '@skald/gateway', '--output-style=static'], { cwd: root });
run('npx', ['jest', 'src/docs/api-documents.int-spec.ts'], { cwd: path.join(root, 'services/gateway'), env: { SKALD_WRITE_API_DOCS: 'true' } });
process.stdout.write('wrote docs/api/openapi.json and docs/api/asyncapi.json\n');
