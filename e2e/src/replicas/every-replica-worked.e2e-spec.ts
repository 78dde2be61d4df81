import { SERVICES } from '../../../scripts/lib/suite.mjs';
import { suite } from '../../support/suite-state.mjs';

/**
 * The last file of the replicas run (jest.replicas.config.cjs): the order-saga, shortage,
 * cancellation and returns flows passed against two processes of every service — but that proves
 * replicas are safe together only if both really worked. Each process's own /metrics (counters of
 * that process alone) must show it took messages off its service's queue, published from its
 * outbox, and answered API requests, the gateway's both replicas included.
 */

/** The sum of a counter's series on a /metrics page, those whose labels match `labels`. */
function total(page: string, metric: string, labels: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const [, found, value] of page.matchAll(new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`, 'gm'))) if (labels(found)) sum += Number(value);
  return sum;
}

/** Requests a process answered on its API routes (not probes, scrapes or unknown paths). */
const apiRoute = (labels: string) => !/route="(\/health\/[a-z]+|\/metrics|unmatched)"/.test(labels);

/** Services that take messages off their queue: all but the gateway. */
const CONSUMING = SERVICES.map((s) => s.name).filter((name) => name !== 'gateway');
/** Services whose outbox the flows make publish: all but notifications (which tells the outside world, not the services). */
const PUBLISHING = SERVICES.map((s) => s.name).filter((name) => name !== 'notifications');
/** Services the flows reach over HTTP: the gateway, and those it forwards the tests' requests to. */
const HTTP = ['gateway', 'orders', 'inventory', 'warehouse', 'returns'];

describe('two replicas of every service (the replicas run)', () => {
  it('runs two processes of each service, each on its own port', () => {
    const { replicas, urls } = suite();
    for (const { name } of SERVICES) {
      expect(replicas[name]).toHaveLength(2);
      expect(new Set([urls[name], ...replicas[name]]).size).toBe(3); // the balancer and the two processes
    }
  });

  it('had every process do its share: messages consumed and published, API requests answered', async () => {
    const work = await Promise.all(
      SERVICES.flatMap(({ name }) =>
        suite().replicas[name].map(async (url, replica) => {
          const res = await fetch(`${url}/metrics`);
          expect(res.status).toBe(200);
          const page = await res.text();
          return {
            process: `${name} #${replica + 1}`,
            consumed: total(page, 'skald_messages_consumed_total', (labels) => labels.includes('outcome="processed"')),
            published: total(page, 'skald_outbox_published_total'),
            answered: total(page, 'skald_http_request_seconds_count', apiRoute),
            name,
          };
        }),
      ),
    );
    const idle = work.flatMap(({ process, name, consumed, published, answered }) => [
      ...(CONSUMING.includes(name) && consumed === 0 ? [`${process} consumed no message`] : []),
      ...(PUBLISHING.includes(name) && published === 0 ? [`${process} published no message`] : []),
      ...(HTTP.includes(name) && answered === 0 ? [`${process} answered no API request`] : []),
    ]);
    process.stdout.write(`work per process: ${work.map((w) => `${w.process} ${w.consumed}/${w.published}/${w.answered}`).join(', ')} (consumed/published/answered)\n`);
    expect(idle).toEqual([]);
  });
});
