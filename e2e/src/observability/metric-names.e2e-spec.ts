import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES } from '../../../scripts/lib/suite.mjs';
import { suite } from '../../support/suite-state.mjs';

const observability = path.resolve(__dirname, '../../../deploy/observability');
const names = SERVICES.map((s) => s.name);

/** Skald's metric names a text mentions (`skald_…`), a histogram's series named by the histogram. */
function skaldMetricsIn(text: string): string[] {
  const found = text.match(/\bskald_[a-z0-9_]+/g) ?? [];
  return [...new Set(found.map((name) => name.replace(/_(bucket|count|sum)$/, '')))].sort();
}

/** What the alert rules and the dashboard refer to: every skald_ name in the rules file and in the dashboard's queries. */
function referencedMetrics(): { rules: string[]; dashboard: string[] } {
  const rules = readFileSync(path.join(observability, 'alerts.yml'), 'utf8');
  const dashboard = JSON.parse(readFileSync(path.join(observability, 'grafana-dashboard.json'), 'utf8')) as {
    panels: Array<{ targets?: Array<{ expr: string }> }>;
    templating: { list: Array<{ definition?: string }> };
  };
  const queries = [
    ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
    ...dashboard.templating.list.map((variable) => variable.definition ?? ''),
  ];
  return { rules: skaldMetricsIn(rules), dashboard: skaldMetricsIn(queries.join('\n')) };
}

async function scrape(name: string): Promise<string> {
  const res = await fetch(`${suite().urls[name]}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The metric names a /metrics page declares (`# TYPE <name> <type>`), present even before a first observation. */
function declared(body: string): string[] {
  return [...body.matchAll(/^# TYPE (\S+) \S+$/gm)].map((match) => match[1]);
}

describe('deploy/observability against the running services', () => {
  it('refers only to metrics some service exposes (a renamed metric fails here)', async () => {
    const exposed = new Set((await Promise.all(names.map(scrape))).flatMap(declared));
    const { rules, dashboard } = referencedMetrics();
    // The files do name the metrics the on-call alerts are about.
    expect(rules).toEqual(expect.arrayContaining(['skald_sagas_stuck', 'skald_dead_letter_depth', 'skald_outbox_lag_seconds', 'skald_consumer_paused']));
    expect(dashboard.length).toBeGreaterThan(10);
    expect({ unknownInRules: rules.filter((name) => !exposed.has(name)), unknownInDashboard: dashboard.filter((name) => !exposed.has(name)) }).toEqual({
      unknownInRules: [],
      unknownInDashboard: [],
    });
  });

  it.each(names)('%s reports its outbox lag and backlog and its dead-letter depth', async (name) => {
    const body = await scrape(name);
    expect(body).toMatch(new RegExp(`^skald_outbox_backlog\\{service="${name}"\\} \\d+$`, 'm'));
    expect(body).toMatch(new RegExp(`^skald_outbox_lag_seconds\\{service="${name}"\\} [\\d.e+-]+$`, 'm'));
    expect(body).toMatch(new RegExp(`^skald_dead_letter_depth\\{service="${name}"\\} \\d+$`, 'm'));
  });

  it.each([
    ['orders', 'order', 'reserving'],
    ['returns', 'return', 'approved'],
  ])('%s counts its %s sagas per waiting state, stuck and overdue ones too', async (service, type, state) => {
    const body = await scrape(service);
    for (const metric of ['skald_sagas', 'skald_sagas_stuck', 'skald_sagas_overdue']) {
      expect(body).toMatch(new RegExp(`^${metric}\\{type="${type}",state="${state}"\\} \\d+$`, 'm'));
    }
    for (const metric of ['skald_saga_duration_seconds', 'skald_saga_step_seconds', 'skald_saga_compensations_total']) expect(declared(body)).toContain(metric);
  });
});
