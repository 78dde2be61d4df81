import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DeadLetterView } from '@skald/contracts';
import { aStaffKey } from '../../../test/factories.js';
import type { ReceivedRequest } from '../../../test/fake-upstream.js';
import { startGateway, type GatewayUnderTest } from '../../../test/gateway-under-test.js';
import { EXIT_USAGE } from '../cli-io.js';
import { runCli } from '../run-cli.js';

const SERVICES = ['orders', 'inventory', 'warehouse', 'returns', 'notifications'] as const;

describe('skald dlq: dead letters through the gateway (fake upstreams behind a real gateway)', () => {
  let gw: GatewayUnderTest;
  let env: Record<string, string>;
  let opsKeyId: string;
  const letter: DeadLetterView = {
    service: 'inventory',
    messageId: randomUUID(),
    routingKey: 'inventory.reserve-stock.v1',
    correlationId: randomUUID(),
    tenantId: 'shop-a',
    reason: 'RETRIES_EXHAUSTED',
    error: 'INTERNAL: stock ledger locked',
    attempts: 5,
    deadLetteredAt: '2026-12-07T01:02:03.000Z',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    status: 'dead',
    inQueue: true,
    recorded: true,
    actions: [],
  };
  const received = (): ReceivedRequest[] => SERVICES.flatMap((service) => gw[service].received);

  async function dlq(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['dlq', ...argv], { env, out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out, err };
  }

  beforeAll(async () => {
    gw = await startGateway();
    await gw.sut.app.listen(0, '127.0.0.1');
    const ops = await aStaffKey(gw.sut.dataSource, ['ops']);
    opsKeyId = ops.keyId;
    env = { SKALD_URL: `http://127.0.0.1:${(gw.sut.app.getHttpServer().address() as AddressInfo).port}`, SKALD_API_KEY: ops.key };
  });

  afterAll(async () => {
    await gw?.close();
  });

  beforeEach(() => {
    for (const service of SERVICES) {
      gw[service].received.splice(0);
      gw[service].respondWith((r) => {
        if (r.method === 'GET' && r.url.startsWith('/internal/dead-letters?')) return { status: 200, body: { service, depth: service === 'inventory' ? 1 : 0, deadLetters: service === 'inventory' ? [letter] : [] } };
        if (service === 'inventory' && r.url.startsWith(`/internal/dead-letters/${letter.messageId}`)) {
          if (r.url.endsWith('/replay')) return { status: 200, body: { service, replayed: [letter.messageId] } };
          if (r.url.endsWith('/discard')) return { status: 200, body: { ...letter, status: 'discarded', inQueue: false } };
          return { status: 200, body: { ...letter, headers: { 'x-skald-attempt': 5 }, body: { payload: { orderId: 'o-1' } } } };
        }
        if (r.url === '/internal/dead-letters/replay') return { status: 200, body: { service, replayed: service === 'inventory' ? [letter.messageId] : [] } };
        return { status: 404, raw: JSON.stringify({ status: 404, code: 'DEAD_LETTER_NOT_FOUND', detail: 'no such dead letter' }), headers: { 'content-type': 'application/problem+json' } };
      });
    }
  });

  it('lists dead letters in aligned columns with their reason, and each queue’s depth', async () => {
    const { code, out } = await dlq('list');

    expect(code).toBe(0);
    expect(out[0]).toMatch(/^DEAD-LETTERED AT\s+SERVICE\s+STATUS\s+REASON\s+ATTEMPTS\s+ROUTING KEY\s+MESSAGE ID\s+CORRELATION ID$/);
    expect(out[1]).toMatch(new RegExp(`^2026-12-07T01:02:03.000Z\\s+inventory\\s+dead\\s+RETRIES_EXHAUSTED\\s+5\\s+inventory.reserve-stock.v1\\s+${letter.messageId}\\s+${letter.correlationId}$`));
    expect(out[0].indexOf('REASON')).toBe(out[1].indexOf('RETRIES_EXHAUSTED'));
    expect(out.at(-1)).toBe('queue depth: orders 0 · inventory 1 · warehouse 0 · returns 0 · notifications 0');

    const one = await dlq('list', 'inventory', '--saga', letter.correlationId!, '--limit', '5');
    expect(one.code).toBe(0);
    expect(received().filter((r) => r.url.includes('correlationId')).map((r) => r.url)).toEqual([`/internal/dead-letters?limit=5&correlationId=${letter.correlationId}`]);
  });

  it('shows one dead letter, its headers and body', async () => {
    const { code, out } = await dlq('show', letter.messageId);

    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/reason:\s+RETRIES_EXHAUSTED/);
    expect(text).toMatch(/error:\s+INTERNAL: stock ledger locked/);
    expect(text).toMatch(/trace id:\s+4bf92f3577b34da6a3ce929d0e0e4736/);
    expect(text).toContain('"orderId": "o-1"');
  });

  it('replays one message, or every dead letter of a saga, as the staff key', async () => {
    const one = await dlq('replay', letter.messageId);
    expect(one).toMatchObject({ code: 0, out: [`replayed ${letter.messageId} in inventory`, '1 message(s) replayed'] });
    expect(gw.inventory.received.find((r) => r.url.endsWith('/replay'))?.headers['x-skald-principal']).toBe(opsKeyId);

    const orderId = randomUUID();
    const all = await dlq('replay', '--all-for', orderId);
    expect(all).toMatchObject({ code: 0, out: [`replayed ${letter.messageId} in inventory`, '1 message(s) replayed'] });
    expect(gw.orders.received.filter((r) => r.url === '/internal/dead-letters/replay').map((r) => JSON.parse(r.body))).toEqual([{ correlationId: orderId }]);
  });

  it('discards only with a reason', async () => {
    const without = await dlq('discard', letter.messageId);
    const blank = await dlq('discard', letter.messageId, '--reason', '  ');
    expect([without.code, blank.code]).toEqual([EXIT_USAGE, EXIT_USAGE]);
    expect(without.err[0]).toContain('--reason');
    expect(received().filter((r) => r.method === 'POST')).toEqual([]);

    const done = await dlq('discard', letter.messageId, '--reason', 'order cancelled by phone');
    expect(done).toMatchObject({ code: 0, out: [`discarded ${letter.messageId} in inventory: order cancelled by phone`] });
    expect(JSON.parse(gw.inventory.received.find((r) => r.url.endsWith('/discard'))!.body)).toEqual({ reason: 'order cancelled by phone' });
  });

  it('explains a wrong command line (64) and a refusal of the gateway (1), sending nothing for the former', async () => {
    for (const argv of [[], ['purge'], ['show'], ['show', 'a b'], ['replay', '--all-for', 'ORDER-1'], ['list', 'billing'], ['replay', letter.messageId, '--reason', 'x'], ['list', '--limit', '0']]) {
      const { code, err } = await dlq(...argv);
      expect([argv, code]).toEqual([argv, EXIT_USAGE]);
      expect(err.join('\n')).toMatch(/^skald: /);
    }
    expect(received()).toEqual([]);

    const unknown = await dlq('show', randomUUID());
    expect(unknown.code).toBe(1);
    expect(unknown.err).toEqual(['skald: 404 DEAD_LETTER_NOT_FOUND No service has a dead letter ' + unknown.err[0].split(' ').at(-1)]);
    const noKey = await runCli(['dlq', 'list'], { env: { SKALD_URL: env.SKALD_URL }, out: () => undefined, err: () => undefined });
    expect(noKey).toBe(EXIT_USAGE);
  });
});
