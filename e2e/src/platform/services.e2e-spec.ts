import { vhostAdmin, vhostOf } from '@skald/testing';
import pg from 'pg';
import { SERVICES } from '../../../scripts/lib/suite.mjs';
import { lintOpenApi } from '../../support/openapi-lint.js';
import { suite } from '../../support/suite-state.mjs';

const names = SERVICES.map((s) => s.name);
const internal = names.filter((name) => name !== 'gateway');

/** What the gateway sends with every internal call; the public gateway needs none. */
const asGateway = (name: string): Record<string, string> => (name === 'gateway' ? {} : { 'x-skald-internal-token': suite().internalToken });

describe('every service of the running suite', () => {
  it.each(names)('%s answers /health/live and /health/ready with database and broker up', async (name) => {
    const url = suite().urls[name];
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok' });

    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, broker: { status: 'up' }, lifecycle: { status: 'up' } },
    });
  });

  it.each(names)('%s migrated its own database', async (name) => {
    const client = new pg.Client({ connectionString: suite().databases[name] });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT name FROM migrations ORDER BY id`);
      expect(rows.map((r) => r.name)).toContain('MessagingTables1763800000000');
      const { rows: tables } = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('outbox_message', 'inbox_message') ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(['inbox_message', 'outbox_message']);
    } finally {
      await client.end();
    }
  });

  it.each(names)('%s exposes Prometheus metrics', async (name) => {
    const res = await fetch(`${suite().urls[name]}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await res.text();
    expect(body).toContain(`skald_broker_connected{service="${name}"} 1`);
    expect(body).toContain('process_resident_memory_bytes');
  });

  it.each(names)('%s serves Swagger UI at /docs and an OpenAPI document that passes the linter', async (name) => {
    const url = suite().urls[name];
    const ui = await fetch(`${url}/docs`, { headers: asGateway(name) });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');

    const res = await fetch(`${url}/docs-json`, { headers: asGateway(name) });
    expect(res.status).toBe(200);
    const document = (await res.json()) as { info: { title: string }; paths: Record<string, unknown> };
    expect(document.info.title).toBe(`Skald ${name}`);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics']));
    const { errors } = await lintOpenApi(document);
    expect(errors).toEqual([]);
  });

  it.each(names)('%s declared its queues (main, retries, dead letters) as quorum queues', async (name) => {
    const admin = await vhostAdmin(suite().rabbitmqUrl);
    const queues = (await admin.queues(vhostOf(suite().rabbitmqUrl))).filter((q) => q.name === `skald.${name}` || q.name.startsWith(`skald.${name}.`));
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining([`skald.${name}`, `skald.${name}.dlq`, `skald.${name}.retry.100ms`]));
    expect(queues.filter((q) => q.type !== 'quorum')).toEqual([]);
  });

  it.each(internal)('%s refuses a forged staff caller without the internal token (and its docs), 401 problem+json', async (name) => {
    const forged = { 'x-skald-caller': 'staff', 'x-skald-principal': 'mallory', 'x-skald-roles': 'admin' };
    for (const [path, token] of [
      ['/v1/orders', undefined],
      ['/v1/catalog', 'x'.repeat(suite().internalToken.length)],
      ['/docs-json', undefined],
    ] as const) {
      const res = await fetch(`${suite().urls[name]}${path}`, { headers: { ...forged, ...(token ? { 'x-skald-internal-token': token } : {}) } });
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 401, type: expect.stringMatching(/^application\/problem\+json/) });
      expect(await res.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('answers an unknown route with problem+json and echoes the correlation id', async () => {
    const res = await fetch(`${suite().urls.orders}/no-such-thing`, { headers: { ...asGateway('orders'), 'X-Correlation-Id': 'e2e-corr-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('x-correlation-id')).toBe('e2e-corr-1');
    expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: '/no-such-thing' });
  });
});
