import { randomUUID } from 'node:crypto';
import { MessagingHarness } from '../../test/harness.js';
import { Inbox } from './inbox.js';

describe('inbox retention (real PostgreSQL)', () => {
  let world: MessagingHarness;

  beforeAll(async () => {
    world = await new MessagingHarness('inbox-prune').setUp();
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it('forgets records past the retention and remembers younger ones (a redelivery of those still has no effect)', async () => {
    const record = async (ageHours: number) => {
      const id = randomUUID();
      await world.dataSource.query(
        `INSERT INTO inbox_message (message_id, routing_key, correlation_id, processed_at) VALUES ($1, 'k', 'c', now() - $2 * interval '1 hour')`,
        [id, ageHours],
      );
      return id;
    };
    const old = [await record(800), await record(721)];
    const young = [await record(719), await record(1)];

    await new Inbox().prune(world.dataSource.manager, 720 * 3_600_000);

    const left: Array<{ message_id: string }> = await world.dataSource.query(`SELECT message_id FROM inbox_message`);
    expect(left.map((r) => r.message_id).sort()).toEqual([...young].sort());
    expect(left.map((r) => r.message_id)).not.toEqual(expect.arrayContaining(old));

    const envelope = { id: young[1], type: 't', version: 1, occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, tenantId: null, payload: {} };
    const again = await new Inbox().within(world.dataSource, envelope, 'k', async () => 'ran');
    expect(again).toEqual({ fresh: false });
  });
});
