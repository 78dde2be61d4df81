import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import { waitFor } from './wait-for.js';
import { createTestVhost, removeVhostsTagged, TEST_RABBITMQ_URL, vhostAdmin, vhostOf, type VhostAdminOptions } from './test-vhost.js';

const NO_CTL = '/nonexistent/rabbitmqctl';
const NO_API = 'http://127.0.0.1:9/'; // the discard port: nothing answers there



async function exchangesIn(url: string): Promise<'fresh' | 'seen skald'> {
  const connection = await amqplib.connect(url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    // checkExchange closes the channel with 404 when the exchange does not exist.
    return await channel.checkExchange('skald.events').then(
      () => 'seen skald' as const,
      () => 'fresh' as const,
    );
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function declareQueues(url: string): Promise<void> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.assertQueue('spec.quorum', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.assertQueue('spec.classic', { durable: true });
  } finally {
    await connection.close();
  }
}

describe.each<[string, VhostAdminOptions]>([
  ['rabbitmqctl', { managementUrl: NO_API }],
  ['the management HTTP API', { rabbitmqctl: NO_CTL }],
])('a test vhost made through %s', (_via, options) => {
  it('is new and empty, usable with the base URL’s user, and gone after remove()', async () => {
    const vhost = await createTestVhost('vhost-spec', TEST_RABBITMQ_URL, options);
    const admin = await vhostAdmin(TEST_RABBITMQ_URL, options);
    try {
      expect(vhostOf(vhost.url)).not.toBe(vhostOf(TEST_RABBITMQ_URL));
      expect(await admin.list()).toContain(vhostOf(vhost.url));
      await expect(exchangesIn(vhost.url)).resolves.toBe('fresh');
      await declareQueues(vhost.url);
      expect((await admin.queues(vhostOf(vhost.url))).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'spec.classic', type: 'classic' },
        { name: 'spec.quorum', type: 'quorum' },
      ]);
    } finally {
      await vhost.remove();
    }
    expect(await admin.list()).not.toContain(vhostOf(vhost.url));
  });

  it('closes every client connection of the vhost, and none of another vhost', async () => {
    const [target, bystander] = [await createTestVhost('vhost-spec', TEST_RABBITMQ_URL, options), await createTestVhost('vhost-spec', TEST_RABBITMQ_URL, options)];
    const admin = await vhostAdmin(TEST_RABBITMQ_URL, options);
    const [cut, spared] = [await amqplib.connect(target.url), await amqplib.connect(bystander.url)];
    const closed = new Promise<string>((resolve) => cut.on('close', (error?: Error) => resolve(error?.message ?? 'closed')));
    cut.on('error', () => undefined);
    let spareClosed = false;
    spared.on('close', () => (spareClosed = true));
    try {
      // The management API lists a connection once its statistics came in (a few seconds).
      await waitFor('the connection closed by the admin', async () => ((await admin.closeConnections(vhostOf(target.url))) > 0 ? true : undefined), 20_000);
      await expect(closed).resolves.toMatch(/CONNECTION_FORCED|closed/);
      expect(spareClosed).toBe(false);
      await expect(spared.createChannel().then(() => 'usable')).resolves.toBe('usable');
    } finally {
      await spared.close().catch(() => undefined);
      await Promise.all([target.remove(), bystander.remove()]);
    }
  });
});

describe('a run that cannot isolate itself', () => {
  it('fails, naming both ways it tried, instead of falling back to a shared vhost', async () => {
    const attempt = createTestVhost('vhost-spec', TEST_RABBITMQ_URL, { rabbitmqctl: NO_CTL, managementUrl: NO_API });
    const error = await attempt.then(() => undefined, (reason: Error) => reason);
    expect(error?.message).toMatch(/^Cannot create a RabbitMQ vhost/);
    expect(error?.message).toContain(`rabbitmqctl: `);
    expect(error?.message).toContain(`management API ${NO_API}: `);
  });
});

describe('removeVhostsTagged', () => {
  it('removes a run’s vhosts and only those', async () => {
    const admin = await vhostAdmin();
    const tag = `tspec${randomBytes(3).toString('hex')}`;
    const other = `${tag}x-other`; // shares the letters, not the tag
    for (const name of [tag, `${tag}-a`, `${tag}-b`, other]) await admin.create(name);
    try {
      expect((await removeVhostsTagged(tag)).sort()).toEqual([tag, `${tag}-a`, `${tag}-b`]);
      const left = await admin.list();
      expect(left).toContain(other);
      expect(left.filter((name) => name === tag || name.startsWith(`${tag}-`))).toEqual([]);
    } finally {
      await admin.remove(other);
    }
  });
});
