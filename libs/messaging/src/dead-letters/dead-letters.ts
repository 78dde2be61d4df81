import type { DeadLetterDetail, DeadLetterReplay, DeadLetterView, ServiceDeadLetters } from '@skald/contracts';
import type { DataSource } from 'typeorm';
import type { AmqpConnection } from '../connection/amqp-connection.js';
import { factsOfQueued, redactSecrets } from './dead-letter-facts.js';
import { DeadLetterQueue, type DeadLetterSummary } from './dead-letter-queue.js';
import { DeadLetterRecords, type DeadLetterRecord } from './dead-letter-records.js';

/** How many queued messages a list reads at most, to find those the service has no record of. */
const QUEUE_SCAN_LIMIT = 1_000;

type Identified = DeadLetterSummary & { messageId: string };
const identified = (letter: DeadLetterSummary): letter is Identified => typeof letter.messageId === 'string' && letter.messageId.length > 0;

/** Who replays or discards: the staff principal, and why. */
export interface DeadLetterActor {
  principal: string;
  reason?: string;
}

/**
 * A service's dead letters for on-call: its records (written by the consumer when it
 * dead-letters) joined with its dead-letter queue (which also holds what the broker dead-lettered
 * itself), replayed and discarded with a record of who did it, when and why.
 */
export class DeadLetters {
  readonly queue: DeadLetterQueue;
  readonly records: DeadLetterRecords;

  constructor(
    readonly service: string,
    connection: AmqpConnection,
    dataSource: DataSource,
  ) {
    this.queue = new DeadLetterQueue(connection, service);
    this.records = new DeadLetterRecords(dataSource);
  }

  /**
   * With a correlation id: that saga's dead letters, whatever became of them. Without: those still
   * dead. Newest first, at most `limit`; `depth` is the queue's depth now. A message the broker
   * dead-lettered itself is found by reading the queue (up to 1,000 messages), which holds them
   * unacked for that moment: a replay running at the same instant does not see them.
   */
  async list(options: { correlationId?: string; limit?: number } = {}): Promise<ServiceDeadLetters> {
    const limit = options.limit ?? 50;
    const { correlationId } = options;
    const depth = await this.queue.depth();
    // An empty queue is not read: a read holds the messages for a moment (see DeadLetterQueue).
    const queued = depth === 0 ? [] : (await this.queue.list(QUEUE_SCAN_LIMIT)).filter(identified);
    const records = correlationId ? await this.records.ofCorrelation(correlationId, limit) : await this.records.dead(limit);
    const inQueue = new Set(queued.map((letter) => letter.messageId));
    const views = records.map((record) => this.view(record, inQueue.has(record.messageId), true));
    const known = new Set(records.map((record) => record.messageId));
    const others = queued.filter((letter) => !known.has(letter.messageId) && (!correlationId || factsOfQueued(letter).correlationId === correlationId));
    // Recorded but past the page above: the record still tells more than the queue (its actions).
    const recordedOthers = new Map((await this.records.byIds(others.map((letter) => letter.messageId))).map((record) => [record.messageId, record]));
    for (const letter of others) {
      if (known.has(letter.messageId)) continue;
      known.add(letter.messageId);
      const record = recordedOthers.get(letter.messageId);
      views.push(record ? this.view(record, true, true) : this.view({ ...factsOfQueued(letter), status: 'dead', actions: [] }, true, false));
    }
    views.sort((a, b) => (b.deadLetteredAt ?? '').localeCompare(a.deadLetteredAt ?? ''));
    return { service: this.service, depth, deadLetters: views.slice(0, limit) };
  }

  /** One dead letter, with its headers and body while it is in the queue; undefined when unknown. */
  async show(messageId: string): Promise<DeadLetterDetail | undefined> {
    const [record] = await this.records.byIds([messageId]);
    const queued = await this.queue.find(messageId);
    if (!record && !queued) return undefined;
    const view = record ? this.view(record, queued !== undefined, true) : this.view({ ...factsOfQueued(queued as Identified), status: 'dead', actions: [] }, true, false);
    if (!queued) return view;
    return { ...view, headers: redactSecrets(queued.headers) as Record<string, unknown>, body: redactSecrets(parsedBody(queued.body)) };
  }

  /**
   * Replays the dead letters with these message ids, or those of a correlation id, each once
   * (see DeadLetterQueue.replayWhere), recording each replay before it is published.
   */
  async replay(selector: { messageIds: string[] } | { correlationId: string }, actor: DeadLetterActor): Promise<DeadLetterReplay> {
    const select =
      'messageIds' in selector
        ? (letter: Identified) => selector.messageIds.includes(letter.messageId)
        : (letter: Identified) => factsOfQueued(letter).correlationId === selector.correlationId;
    const replayed = await this.queue.replayWhere(
      (letter) => identified(letter) && select(letter),
      async (letter) => {
        const facts = factsOfQueued(letter as Identified);
        const actionId = await this.records.acted(facts, 'replayed', actor.principal, actor.reason);
        return () => this.records.undoReplay(facts.messageId, actionId);
      },
    );
    return { service: this.service, replayed: replayed.map((letter) => letter.messageId as string) };
  }

  /** Drops a dead letter from the queue, recording who and why; undefined when it is not in the queue. */
  async discard(messageId: string, actor: DeadLetterActor & { reason: string }): Promise<DeadLetterView | undefined> {
    const removed = await this.queue.discard(messageId, async (letter) => {
      await this.records.acted(factsOfQueued(letter as Identified), 'discarded', actor.principal, actor.reason);
    });
    if (!removed) return undefined;
    const [record] = await this.records.byIds([messageId]);
    return this.view(record, false, true);
  }

  private view(record: DeadLetterRecord, inQueue: boolean, recorded: boolean): DeadLetterView {
    return { service: this.service, ...record, inQueue, recorded };
  }
}

function parsedBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
