import { createConfig, lintFromString } from '@redocly/openapi-core';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { headers?: Record<string, unknown>; description?: string }>;
  requestBody?: unknown;
}

describe('the OpenAPI document of the public API', () => {
  let gw: GatewayUnderTest;
  let document: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes?: Record<string, unknown> } };

  beforeAll(async () => {
    gw = await startGateway();
    document = (await gw.sut.http().get('/docs-json')).body;
  });

  afterAll(async () => {
    await gw?.close();
  });

  const publicOperations = () =>
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));

  it('documents every public route, each with bearer security and its error answers (429 RATE_LIMITED with its headers too)', async () => {
    expect(document.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' } });
    expect(publicOperations().map((o) => o.route).sort()).toEqual(
      [
        'GET /v1/orders',
        'GET /v1/orders/{id}',
        'GET /v1/outbound-notes',
        'GET /v1/outbound-notes/{id}',
        'GET /v1/reviews',
        'GET /v1/sagas',
        'GET /v1/sagas/{ref}',
        'GET /v1/stock/{sku}',
        'GET /v1/stock/{sku}/ledger',
        'POST /v1/orders',
        'POST /v1/orders/{id}/review',
        'POST /v1/orders/{id}/cancel',
        'PATCH /v1/orders/{id}',
        'POST /v1/outbound-notes/{id}/confirm',
        'POST /v1/outbound-notes/{id}/pack',
        'POST /v1/outbound-notes/{id}/pick',
        'POST /v1/outbound-notes/{id}/ship',
        'POST /v1/shipments/{id}/delivered',
        'POST /v1/stock/receipts',
        'POST /v1/webhooks',
        'GET /v1/webhooks',
        'DELETE /v1/webhooks/{id}',
        'POST /v1/webhooks/{id}/rotate-secret',
        'PUT /v1/catalog/{sku}',
        'PUT /v1/platforms/{platformId}/customers/{customerId}',
        'GET /v1/platforms/{platformId}/customers/{customerId}',
        'PUT /v1/warehouses/{code}',
        'PUT /v1/stock/{sku}/warehouses/{warehouse}/low-stock-threshold',
        'POST /v1/returns',
        'GET /v1/returns',
        'GET /v1/returns/{id}',
        'POST /v1/returns/{id}/cancel',
        'POST /v1/returns/{id}/review',
        'POST /v1/returns/{id}/receive',
        'POST /v1/returns/{id}/inspect',
        'PUT /v1/platforms/{platformId}/return-policy',
        'GET /v1/platforms/{platformId}/return-policy',
        'GET /v1/analytics/returns',
        'GET /v1/deliveries',
        'GET /v1/dead-letters',
        'GET /v1/dead-letters/{messageId}',
        'POST /v1/dead-letters/replay',
        'POST /v1/dead-letters/{messageId}/replay',
        'POST /v1/dead-letters/{messageId}/discard',
      ].sort(),
    );
    for (const { route, operation } of publicOperations()) {
      expect({ route, security: operation.security }).toEqual({ route, security: [{ bearer: [] }] });
      // A route that takes no input (GET /v1/webhooks) cannot answer 400.
      const errors = (operation.parameters?.length ?? 0) > 0 || operation.requestBody ? ['400', '401', '403', '429'] : ['401', '403', '429'];
      expect({ route, statuses: Object.keys(operation.responses) }).toEqual({ route, statuses: expect.arrayContaining(errors) });
      expect({ route, headers: Object.keys(operation.responses['429']?.headers ?? {}).sort() }).toEqual({
        route,
        headers: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'],
      });
      if (!route.startsWith('GET')) {
        expect({ route, idempotencyKey: operation.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header') }).toEqual({ route, idempotencyKey: true });
      }
    }
    expect(document.paths['/v1/orders'].post.requestBody).toBeDefined();
  });

  it('shows quarantined stock beside on hand, reserved and available, and the ledger kinds of returned goods', () => {
    type Schema = { properties: Record<string, Schema & { enum?: string[] }>; items: Schema; required: string[] };
    const okSchema = (path: string) =>
      (document.paths[path].get.responses['200'] as unknown as { content: Record<string, { schema: Schema }> }).content['application/json'].schema;
    const stock = okSchema('/v1/stock/{sku}');
    for (const level of [stock.properties.warehouses.items, stock.properties.totals]) {
      expect(level.required).toEqual(expect.arrayContaining(['onHand', 'reserved', 'quarantined', 'available']));
    }
    const entry = okSchema('/v1/stock/{sku}/ledger').properties.items.items;
    expect(entry.properties.kind.enum).toEqual(expect.arrayContaining(['return_restocked', 'return_quarantined', 'return_written_off']));
    expect(entry.required).toEqual(expect.arrayContaining(['quarantinedDelta', 'quarantinedAfter', 'writtenOff']));
  });

  it('documents the returns routes: Idempotency-Key required where a blind retry would act twice, and the policy refusals', () => {
    const operation = (path: string, method: string) => document.paths[path][method];
    const keyRequired = (path: string, method: string) => operation(path, method).parameters?.find((p) => p.name === 'Idempotency-Key')?.required ?? false;
    expect(['/v1/returns', '/v1/returns/{id}/receive', '/v1/returns/{id}/inspect'].map((path) => keyRequired(path, 'post'))).toEqual([true, true, true]);
    expect([keyRequired('/v1/returns/{id}/cancel', 'post'), keyRequired('/v1/returns/{id}/review', 'post'), keyRequired('/v1/platforms/{platformId}/return-policy', 'put')]).toEqual([false, false, false]);
    const refusals = operation('/v1/returns', 'post').responses['422'].description;
    for (const code of ['RETURN_WINDOW_CLOSED', 'RETURN_QUANTITY_EXCEEDED', 'SKU_NOT_RETURNABLE']) expect(refusals).toContain(code);
    expect(operation('/v1/returns', 'post').responses['404'].description).toContain('RETURN_ORDER_NOT_FOUND');
    expect(operation('/v1/returns/{id}/cancel', 'post').responses['409'].description).toContain('RETURN_NOT_CANCELLABLE');
    expect(operation('/v1/returns/{id}/review', 'post').responses['409'].description).toContain('RETURN_NOT_AWAITING_REVIEW');
    expect(operation('/v1/platforms/{platformId}/return-policy', 'put').responses['403'].description).toContain('Allowed: staff keys with role admin.');
  });

  it("passes Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? '?'})`);
    expect(errors).toEqual([]);
  });
});
