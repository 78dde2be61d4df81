import { randomUUID } from 'node:crypto';
import { MessagingHarness } from '../../test/harness.js';
import { waitFor } from '../testing/wait-for.js';

describe('outbox retention (real PostgreSQL)', () => {
  let world: MessagingHarness;

  beforeEach(async () => {
    world = await new MessagingHarness('outbox-prune').setUp();
  });

  afterEach(async () => {
    await world.tearDown();
  });

  /** An outbox row as the relay would have left it, `ageHours` old. */
  async function row(ageHours: number, sent: boolean): Promise<string> {
    const id = randomUUID();
    await world.dataSource.query(
      `INSERT INTO outbox_message (id, exchange, routing_key, envelope, created_at, available_at, sent_at)
       VALUES ($1, 'skald.events', $2, '{}'::jsonb, now() - $3 * interval '1 hour', now() + interval '1 day', CASE WHEN $4 THEN now() END)`,
      [id, world.event.routingKey, ageHours, sent],
    );
    return id;
  }

  it('deletes sent rows past the retention, keeps younger sent rows and every unsent one', async () => {
    const oldSent = [await row(30, true), await row(25, true)];
    const youngSent = await row(1, true);
    // Not yet due (available_at tomorrow), so the relay leaves it alone: only pruning could remove it.
    const oldUnsent = await row(48, false);

    await world.relay({ retentionMs: 24 * 3_600_000 }).start();

    await waitFor('old sent rows pruned', async () => {
      const [{ count }] = await world.dataSource.query(`SELECT count(*)::int AS count FROM outbox_message WHERE id = ANY($1)`, [oldSent]);
      return count === 0;
    });
    const left: Array<{ id: string }> = await world.dataSource.query(`SELECT id FROM outbox_message ORDER BY id`);
    expect(left.map((r) => r.id).sort()).toEqual([youngSent, oldUnsent].sort());
  });
});
