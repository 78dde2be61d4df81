import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { ServiceTimeline, TimelineEntry, TimelineSaga } from '@skald/contracts';
import { isTimelineSource, type TimelineSource } from './timeline-source.js';

/** The service's name, for its timeline. */
export const TIMELINE_SERVICE_NAME = Symbol('TIMELINE_SERVICE_NAME');

/**
 * This service's part of a saga's timeline: what every registered TimelineSource knows of the
 * correlation id, time-ordered. Served on `GET /internal/timeline/{correlationId}` by every
 * service but the gateway, which merges the others' parts with its own.
 */
@Injectable()
export class ServiceTimelines implements OnModuleInit {
  private sources: TimelineSource[] = [];

  constructor(
    @Inject(TIMELINE_SERVICE_NAME) private readonly service: string,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    const found = new Set<TimelineSource>();
    for (const wrapper of this.discovery.getProviders()) {
      if (isTimelineSource(wrapper.token) && wrapper.instance) found.add(wrapper.instance as TimelineSource);
    }
    this.sources = [...found];
  }

  async timeline(correlationId: string): Promise<ServiceTimeline> {
    const [entries, sagas] = await Promise.all([
      Promise.all(this.sources.map((source) => source.entriesFor(correlationId))),
      Promise.all(this.sources.map((source) => source.sagasFor?.(correlationId) ?? Promise.resolve([] as TimelineSaga[]))),
    ]);
    return { service: this.service, correlationId, entries: sortTimeline(entries.flat()), sagas: sagas.flat() };
  }
}

// Within one transaction a handled message and what it sent share a time (the transaction's
// start): the handling comes first, then the saga's steps, then what it published.
const KIND_ORDER: Record<string, number> = { 'message.handled': 0, 'message.published': 2, 'message.dead-lettered': 3 };

/** Time-ordered (stable): by `at`, then handled → other steps → published. */
export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, time: Date.parse(entry.at) }))
    .sort((a, b) => a.time - b.time || (KIND_ORDER[a.entry.kind] ?? 1) - (KIND_ORDER[b.entry.kind] ?? 1) || a.index - b.index)
    .map(({ entry }) => entry);
}
