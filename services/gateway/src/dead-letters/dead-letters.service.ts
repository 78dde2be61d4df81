import { Injectable } from '@nestjs/common';
import { SkaldError, type DeadLetterDetail, type DeadLetterReplay, type DeadLetterView, type ServiceDeadLetters } from '@skald/contracts';
import type { Caller } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { UpstreamClient, type ForwardedRequest, type UpstreamName } from '../upstream/upstream-client.js';
import { DEAD_LETTER_SERVICES, type DeadLetterReplaysDto, type DeadLettersOverviewDto } from './dto/dead-letters.dto.js';

/** Who asks, under which correlation id (the request's). */
export interface OnCallRequest {
  caller: Caller;
  correlationId: string;
}

/** One service's answer, or why there is none. */
type Answer = { service: UpstreamName; reply: Reply } | { service: UpstreamName; unavailable: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * On-call's dead letters across the services: each service keeps and acts on its own (its
 * `/internal/dead-letters` routes); the gateway asks all of them, or the one named, and merges.
 * A service that does not answer is a gap in a list, not a failed list.
 */
@Injectable()
export class DeadLettersService {
  constructor(private readonly upstream: UpstreamClient) {}

  async list(request: OnCallRequest, query: { service?: UpstreamName; saga?: string; limit?: number }): Promise<DeadLettersOverviewDto> {
    const limit = query.limit ?? 50;
    const correlationId = query.saga ? await this.correlationIdOf(request, query.saga) : undefined;
    const params = new URLSearchParams({ limit: String(limit), ...(correlationId ? { correlationId } : {}) });
    const answers = await this.ask(query.service ? [query.service] : DEAD_LETTER_SERVICES, request, { method: 'GET', path: `/internal/dead-letters?${params}` });
    const services: DeadLettersOverviewDto['services'] = [];
    const deadLetters: DeadLetterView[] = [];
    for (const answer of answers) {
      if ('unavailable' in answer || answer.reply.status !== 200) {
        services.push({ service: answer.service, available: false, error: 'unavailable' in answer ? answer.unavailable : `HTTP_${answer.reply.status}` });
        continue;
      }
      const own = answer.reply.json() as ServiceDeadLetters;
      services.push({ service: answer.service, available: true, depth: own.depth });
      deadLetters.push(...own.deadLetters);
    }
    deadLetters.sort((a, b) => (b.deadLetteredAt ?? '').localeCompare(a.deadLetteredAt ?? ''));
    return { ...(correlationId ? { correlationId } : {}), services, deadLetters: deadLetters.slice(0, limit) };
  }

  /** The dead letter from the service that has it (the one named, else the one of all that has it in its queue). */
  async show(request: OnCallRequest, messageId: string, service?: UpstreamName): Promise<Reply> {
    const path = `/internal/dead-letters/${encodeURIComponent(messageId)}`;
    if (service) return this.upstream.forward(service, { ...request, method: 'GET', path });
    return this.holderOf(request, messageId).then((holder) => holder.reply);
  }

  /** Replays the message in the service named, else in every service whose dead-letter queue has it. */
  async replay(request: OnCallRequest, messageId: string, service?: UpstreamName): Promise<DeadLetterReplaysDto | Reply> {
    const path = `/internal/dead-letters/${encodeURIComponent(messageId)}/replay`;
    if (service) {
      const reply = await this.upstream.forward(service, { ...request, method: 'POST', path, body: {} });
      if (reply.status !== 200) return reply;
      return { replayed: [reply.json() as DeadLetterReplay], unavailable: [] };
    }
    const answers = await this.ask(DEAD_LETTER_SERVICES, request, { method: 'POST', path, body: {} });
    const replayed = answers.filter(isOk).map((answer) => answer.reply.json() as DeadLetterReplay);
    const unavailable = answers.filter((answer) => 'unavailable' in answer || answer.reply.status >= 500).map((answer) => answer.service);
    if (replayed.length > 0) return { replayed, unavailable };
    const refused = answers.find((answer) => 'reply' in answer && answer.reply.status === 409);
    if (refused && 'reply' in refused) return refused.reply;
    throw this.notFound(messageId, unavailable);
  }

  /** Replays every dead letter of a saga, in every service, each once. */
  async replaySaga(request: OnCallRequest, saga: string): Promise<DeadLetterReplaysDto> {
    const correlationId = await this.correlationIdOf(request, saga);
    const answers = await this.ask(DEAD_LETTER_SERVICES, request, { method: 'POST', path: '/internal/dead-letters/replay', body: { correlationId } });
    return {
      saga,
      correlationId,
      replayed: answers
        .filter(isOk)
        .map((answer) => answer.reply.json() as DeadLetterReplay)
        .filter((replay) => replay.replayed.length > 0),
      unavailable: answers.filter((answer) => !isOk(answer)).map((answer) => answer.service),
    };
  }

  /** Discards the message in the service named, else in the one service whose dead-letter queue has it. */
  async discard(request: OnCallRequest, messageId: string, reason: string, service?: UpstreamName): Promise<Reply> {
    const target = service ?? (await this.holderOf(request, messageId)).service;
    return this.upstream.forward(target, { ...request, method: 'POST', path: `/internal/dead-letters/${encodeURIComponent(messageId)}/discard`, body: { reason } });
  }

  /**
   * The one service that knows the message id (an event dead in two services' queues needs the
   * service named; so does one dead in none that two know).
   * @throws SkaldError DEAD_LETTER_NOT_FOUND, DEAD_LETTER_AMBIGUOUS, UPSTREAM_UNAVAILABLE
   */
  private async holderOf(request: OnCallRequest, messageId: string): Promise<{ service: UpstreamName; reply: Reply }> {
    const answers = await this.ask(DEAD_LETTER_SERVICES, request, { method: 'GET', path: `/internal/dead-letters/${encodeURIComponent(messageId)}` });
    const known = answers.filter(isOk);
    const queued = known.filter((answer) => (answer.reply.json() as DeadLetterDetail).inQueue);
    const candidates = queued.length > 0 ? queued : known;
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) {
      throw new SkaldError('DEAD_LETTER_AMBIGUOUS', `Message ${messageId} is a dead letter of several services (${candidates.map((c) => c.service).join(', ')}); name one with ?service=.`, {
        retryable: false,
        details: { services: candidates.map((c) => c.service) },
      });
    }
    throw this.notFound(messageId, answers.filter((answer) => 'unavailable' in answer || answer.reply.status >= 500).map((answer) => answer.service));
  }

  private notFound(messageId: string, unavailable: UpstreamName[]): SkaldError {
    if (unavailable.length > 0) {
      return new SkaldError('UPSTREAM_UNAVAILABLE', `No service answering knows message ${messageId}; ${unavailable.join(', ')} did not answer; try again later.`);
    }
    return new SkaldError('DEAD_LETTER_NOT_FOUND', `No service has a dead letter ${messageId}.`, { retryable: false });
  }

  /**
   * A saga's correlation id: an order id is the orders saga's own; an RMA number names a return,
   * whose id is the return saga's (the returns service's RMA lookup, `GET /internal/rma/{rmaNumber}`,
   * which the saga timeline uses too).
   */
  private async correlationIdOf(request: OnCallRequest, saga: string): Promise<string> {
    if (UUID.test(saga)) return saga.toLowerCase();
    const reply = await this.upstream.forward('returns', { ...request, method: 'GET', path: `/internal/rma/${encodeURIComponent(saga.toUpperCase())}` });
    if (reply.status === 404) throw new SkaldError('SAGA_NOT_FOUND', `No return ${saga}.`, { retryable: false });
    if (reply.status !== 200) throw new SkaldError('UPSTREAM_BAD_RESPONSE', `The returns service could not look up ${saga} (${reply.status}).`);
    return (reply.json() as { returnId: string }).returnId;
  }

  private ask(services: readonly UpstreamName[], request: OnCallRequest, call: Pick<ForwardedRequest, 'method' | 'path' | 'body'>): Promise<Answer[]> {
    return Promise.all(
      services.map((service) =>
        this.upstream.forward(service, { ...request, ...call }).then(
          (reply): Answer => ({ service, reply }),
          (error: unknown): Answer => ({ service, unavailable: error instanceof SkaldError ? error.code : 'UPSTREAM_UNAVAILABLE' }),
        ),
      ),
    );
  }
}

function isOk(answer: Answer): answer is { service: UpstreamName; reply: Reply } {
  return 'reply' in answer && answer.reply.status === 200;
}
