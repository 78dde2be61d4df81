import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument } from '@skald/contracts';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

// The API documents are committed under docs/api/ (reviewed with the code that changes them) and
// must be what the code generates: this test fails when they drift. `npm run docs:api` runs it with
// SKALD_WRITE_API_DOCS=true, which writes them instead.
const DOCS = path.resolve(__dirname, '../../../../docs/api');
const WRITE = process.env.SKALD_WRITE_API_DOCS === 'true';

const serialize = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

function expectCommitted(file: string, document: unknown): void {
  const target = path.join(DOCS, file);
  if (WRITE) {
    mkdirSync(DOCS, { recursive: true });
    writeFileSync(target, serialize(document));
    return;
  }
  let committed: string;
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    throw new Error(`docs/api/${file} is missing: run \`npm run docs:api\` and commit it`);
  }
  if (committed !== serialize(document)) {
    // The whole document compared as objects shows where it drifted.
    expect({ [`docs/api/${file} (run \`npm run docs:api\` and commit it)`]: JSON.parse(committed) }).toEqual({
      [`docs/api/${file} (run \`npm run docs:api\` and commit it)`]: document,
    });
    throw new Error(`docs/api/${file} differs from the code in its formatting: run \`npm run docs:api\` and commit it`);
  }
}

describe('the committed API documents (docs/api/)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway();
  });

  afterAll(async () => {
    await gw?.close();
  });

  it("openapi.json is the gateway's OpenAPI document (the public API)", async () => {
    const res = await gw.sut.http().get('/docs-json');
    expect(res.status).toBe(200);
    expectCommitted('openapi.json', res.body);
  });

  it("asyncapi.json is the AsyncAPI document of Skald's message contracts", () => {
    expectCommitted('asyncapi.json', buildAsyncApiDocument());
  });
});
