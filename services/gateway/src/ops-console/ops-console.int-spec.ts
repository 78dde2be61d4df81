import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

describe('/ops: the ops console page (gateway on a real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway();
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('serves the page, its script and its style without a key, under a policy that lets them load nothing else', async () => {
    const page = await gw.sut.http().get('/ops');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<script type="module" src="/ops/console.js">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const script = await gw.sut.http().get('/ops/console.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain('/v1/sagas/');
    expect((await gw.sut.http().get('/ops/console.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves nothing else from its folder or beyond it', async () => {
    for (const path of ['/ops/main.js', '/ops/..%2F..%2Fpackage.json', '/ops/%2e%2e%2fmain.js', '/ops/constructor', '/ops/__proto__']) {
      const res = await gw.sut.http().get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
