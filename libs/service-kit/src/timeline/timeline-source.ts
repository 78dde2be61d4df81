import type { Provider, Type } from '@nestjs/common';
import type { TimelineEntry, TimelineSaga } from '@skald/contracts';

/**
 * One part of what a service knows of a saga, for its `GET /internal/timeline/{correlationId}`:
 * the inbox and outbox (every service), the saga's step log (orders, returns), deliveries
 * (notifications), dead letters. A source answers quickly from indexed rows and returns nothing
 * for a correlation id it does not know.
 */
export interface TimelineSource {
  /** The entries this source recorded for the correlation id, in any order (the service sorts them). */
  entriesFor(correlationId: string): Promise<TimelineEntry[]>;
  /** The sagas this source runs for the correlation id, as they are now. */
  sagasFor?(correlationId: string): Promise<TimelineSaga[]>;
}

/** Reflect metadata marking a provider's token as a timeline source (see `timelineSource`). */
export const TIMELINE_SOURCE = Symbol('skald:timeline-source');

/**
 * Registers a provider as a source of the service's saga timeline — one line in a module's
 * `providers`: `timelineSource(DeadLetterTimelineSource)`, or a provider object whose `provide`
 * is the source's class (`timelineSource({ provide: X, useFactory, inject })`). The timeline finds
 * every such provider of the application at start (Nest has no multi-providers).
 */
export function timelineSource<T extends TimelineSource>(provider: Type<T> | (Provider<T> & { provide: Type<T> })): Provider {
  const token = typeof provider === 'function' ? provider : provider.provide;
  Reflect.defineMetadata(TIMELINE_SOURCE, true, token);
  return provider;
}

/** Whether `token` was registered with `timelineSource`. */
export function isTimelineSource(token: unknown): boolean {
  return typeof token === 'function' && Reflect.getMetadata(TIMELINE_SOURCE, token) === true;
}
