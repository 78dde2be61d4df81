import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@skald/service-kit';
import { aPlatform, aStaffKey, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => [...new Set((body.errors ?? []).map((error) => error.field))].sort();

describe('GET /v1/deliveries through the gateway: ops staff only, filters checked, forwarded to the notifications service (fake upstreams)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;
  const keys = new Map<string, string>();
  const upstreamCalls = () =>
    gw.orders.received.length + gw.inventory.received.length + gw.warehouse.received.length + gw.returns.received.length + gw.notifications.received.length;

  async function staffKey(roles: StaffRole[]): Promise<string> {
    const name = [...roles].sort().join(',');
    if (!keys.has(name)) keys.set(name, (await aStaffKey(gw.sut.dataSource, roles)).key);
    return keys.get(name)!;
  }

  beforeAll(async () => {
    gw = await startGateway();
    platform = await aPlatform(gw.sut.dataSource);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it("forwards an operator's filtered list with its query as sent and answers the service's page as it is", async () => {
    const orderId = randomUUID();
    const cursor = randomUUID();
    const page = {
      items: [{ id: randomUUID(), channel: 'webhook', status: 'failed', orderId, attempts: [{ attempt: 1, outcome: 'failed', detail: 'HTTP 500' }] }],
      nextCursor: null,
    };
    gw.notifications.respondWith(() => ({ status: 200, body: page }));
    const path = `/v1/deliveries?orderId=${orderId}&channel=webhook&status=failed&limit=20&cursor=${cursor}`;

    for (const roles of [['ops'], ['admin']] as StaffRole[][]) {
      const before = gw.notifications.received.length;
      const res = await gw.sut.http().get(path).set(bearer(await staffKey(roles))).set('X-Correlation-Id', `corr-${cursor}`);

      expect({ roles, status: res.status, body: res.body }).toEqual({ roles, status: 200, body: page });
      const forwarded = gw.notifications.received.slice(before);
      expect(forwarded).toHaveLength(1);
      expect(forwarded[0]).toMatchObject({ method: 'GET', url: path });
      expect(forwarded[0].headers).toMatchObject({ 'x-skald-caller': 'staff', 'x-skald-roles': roles.join(','), 'x-correlation-id': `corr-${cursor}` });
      expect(forwarded[0].headers['x-skald-internal-token']).toEqual(expect.any(String));
    }
  });

  it('refuses platforms and staff without the ops role with 403 problem+json, and without a key with 401, forwarding nothing', async () => {
    const before = upstreamCalls();
    const callers = [platform.key, ...(await Promise.all([['reviewer'], ['warehouse'], ['inventory']].map((roles) => staffKey(roles as StaffRole[]))))];

    for (const key of callers) {
      const res = await gw.sut.http().get('/v1/deliveries').set(bearer(key));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const anonymous = await gw.sut.http().get('/v1/deliveries');

    expect(anonymous.status).toBe(401);
    expect(upstreamCalls()).toBe(before);
  });

  it.each([
    ['an unknown channel', '?channel=fax', ['channel']],
    ['an unknown status', '?status=lost', ['status']],
    ['a page of 101', '?limit=101', ['limit']],
    ['a cursor that is not a delivery id', '?cursor=yesterday', ['cursor']],
    ['an empty order id', '?orderId=', ['orderId']],
    ['an unknown filter', '?tenantId=shop-1', ['tenantId']],
  ])('refuses %s with 400 problem+json naming the field, and forwards nothing', async (_case, query, fields) => {
    const before = upstreamCalls();

    const res = await gw.sut.http().get(`/v1/deliveries${query}`).set(bearer(await staffKey(['ops'])));

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res.body)).toEqual(fields);
    expect(upstreamCalls()).toBe(before);
  });
});
