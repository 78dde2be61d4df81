// The gateway as the benchmarks use it: its public API over one keep-alive pool, and its CLI.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Pool } from 'undici';
import { serviceDir } from '../../scripts/lib/suite.mjs';

const run = promisify(execFile);

/** The public API over one keep-alive connection pool (undici's own API: less client CPU than fetch). */
export class GatewayClient {
  constructor(baseUrl, connections) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1 });
  }

  as(key) {
    const pool = this.pool;
    return {
      /** Sends; fails unless the answer has `status`; returns the JSON body. */
      async expect(status, method, path, body, idempotencyKey) {
        const headers = { authorization: `Bearer ${key}` };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
        const res = await pool.request({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.body.text();
        if (res.statusCode !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.statusCode}: ${text.slice(0, 500)}`);
        return text ? JSON.parse(text) : undefined;
      },
    };
  }

  close() {
    return this.pool.close();
  }
}

/** `node services/gateway/dist/cli.js …` against the gateway's database; the key is the last line. */
export async function gatewayCli(databaseUrl, args) {
  const { stdout } = await run(process.execPath, ['dist/cli.js', ...args], {
    cwd: serviceDir('gateway'),
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
    timeout: 30_000,
  });
  const lines = stdout.trim().split('\n');
  return { key: lines[lines.length - 1].trim(), tenantId: /tenant id\s+(\S+)/.exec(stdout)?.[1] };
}
