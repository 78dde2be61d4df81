// `npm run docs:asyncapi`: writes the AsyncAPI 3 document of every Skald message contract to
// docs/api/asyncapi.json (built from libs/contracts; run `npm run build` first).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAsyncApiDocument } from '@skald/contracts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs/api/asyncapi.json');
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(root, target)}\n`);
