import type { LookupAddress } from 'node:dns';
import { TestWebhookReceiver } from '@skald/testing';
import { aWebhookSecret } from '../../test/factories.js';
import { StandardWebhookSender } from './webhook-sender.js';

/**
 * Names of this test's own, resolved by the sender's resolver as DNS would: a name that resolves to
 * a private address at send time is otherwise not available offline.
 */
function resolverOf(names: Record<string, LookupAddress[]>): { resolveAll: (hostname: string) => Promise<LookupAddress[]>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolveAll: (hostname) => {
      asked.push(hostname);
      const addresses = names[hostname];
      return addresses ? Promise.resolve(addresses) : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    },
  };
}

describe('StandardWebhookSender and the addresses it connects to (a real local receiver)', () => {
  let receiver: TestWebhookReceiver;
  let port: number;
  const senders: StandardWebhookSender[] = [];

  beforeAll(async () => {
    receiver = new TestWebhookReceiver(aWebhookSecret());
    port = (await receiver.start()).port;
  });

  afterAll(async () => {
    await Promise.all(senders.map((sender) => sender.onApplicationShutdown()));
    await receiver.stop();
  });

  const aSender = (allowPrivateNetworks: boolean, resolveAll: (hostname: string) => Promise<LookupAddress[]>) => {
    const sender = new StandardWebhookSender({ timeoutMs: 5_000, allowPrivateNetworks, resolveAll });
    senders.push(sender);
    return sender;
  };
  const aMessage = (url: string) => ({ deliveryId: `dlv-${Date.now()}-${Math.random()}`, url, secrets: [receiver.secret!], body: { type: 'test' } });

  it('refuses for good a name that resolves to a private address at send time, connecting nowhere', async () => {
    const names = resolverOf({ 'hooks.shop.test': [{ address: '127.0.0.1', family: 4 }] });
    const before = receiver.requests.length;

    const outcome = await aSender(false, names.resolveAll).send(aMessage(`http://hooks.shop.test:${port}/webhooks`));

    expect(outcome).toEqual({
      ok: false,
      retryable: false,
      detail: 'WEBHOOK_URL_FORBIDDEN: hooks.shop.test resolves to 127.0.0.1, which is not a public address',
    });
    expect(names.asked).toEqual(['hooks.shop.test']);
    expect(receiver.requests.length).toBe(before);
  });

  it('refuses a name when any of its addresses is not public', async () => {
    const names = resolverOf({
      'mixed.shop.test': [
        { address: '2606:4700:4700::1111', family: 6 },
        { address: '::ffff:10.0.0.7', family: 6 },
      ],
    });

    const outcome = await aSender(false, names.resolveAll).send(aMessage(`https://mixed.shop.test/webhooks`));

    expect(outcome).toMatchObject({ ok: false, retryable: false, detail: expect.stringMatching(/^WEBHOOK_URL_FORBIDDEN: .*::ffff:10\.0\.0\.7/) });
  });

  it('connects to the address its own lookup resolved, keeping the name in the Host header (WEBHOOK_ALLOW_PRIVATE_NETWORKS)', async () => {
    const names = resolverOf({ 'hooks.shop.test': [{ address: '127.0.0.1', family: 4 }] });
    const message = aMessage(`http://hooks.shop.test:${port}/webhooks`);

    const outcome = await aSender(true, names.resolveAll).send(message);

    expect(outcome).toEqual({ ok: true, detail: 'HTTP 204' });
    const delivered = await receiver.waitForDelivery((webhook) => webhook.id === message.deliveryId);
    expect(delivered.headers.host).toBe(`hooks.shop.test:${port}`);
    expect(names.asked).toEqual(['hooks.shop.test']);
  });

  it('still refuses a URL with a non-public IP literal before any connection, without asking the resolver', async () => {
    const names = resolverOf({});

    const outcome = await aSender(false, names.resolveAll).send(aMessage(`http://[::ffff:7f00:1]:${port}/webhooks`));

    expect(outcome).toMatchObject({ ok: false, retryable: false, detail: expect.stringMatching(/^WEBHOOK_URL_FORBIDDEN: /) });
    expect(names.asked).toEqual([]);
  });
});
