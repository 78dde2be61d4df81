/**
 * docs/operations.md stays true to what it describes: every alert of alerts.yml has its section
 * (and no section is left for an alert that is gone), every alert's `runbook_url` leads to its own
 * heading, and what the page tells an operator to use exists — its links within the page and to
 * other files, the `skald` CLI commands, the public routes (docs/api/openapi.json), the migration
 * commands, the repository paths, the metric names, and the variables and codes it names.
 * Everything is read as text: nothing here imports the services.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

const DOC = 'docs/operations.md';
const doc = read(DOC);
const SERVICES = ['gateway', 'orders', 'inventory', 'warehouse', 'returns', 'notifications'];

interface Rule {
  alert?: string;
  annotations?: Record<string, string>;
}
const alerts = (parse(read('deploy/observability/alerts.yml')) as { groups: Array<{ rules: Rule[] }> }).groups
  .flatMap((group) => group.rules)
  .filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);

/** The page without its fenced code blocks (a `# comment` in a shell block is not a heading). */
const prose = doc.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

interface Heading {
  level: number;
  text: string;
  anchor: string;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
function headingsOf(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  return [...markdown.matchAll(/^(#{1,6}) +(.+?) *#*$/gm)].map(([, hashes, text]) => {
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return { level: hashes.length, text, anchor: count === 0 ? base : `${base}-${count}` };
  });
}
const headings = headingsOf(prose);
const anchors = new Set(headings.map((heading) => heading.anchor));

/** The level-3 headings of the `## Alerts` section. */
function alertSections(): string[] {
  const start = headings.findIndex((heading) => heading.level === 2 && heading.text === 'Alerts');
  if (start === -1) return [];
  const end = headings.findIndex((heading, i) => i > start && heading.level <= 2);
  return headings.slice(start + 1, end === -1 ? undefined : end).filter((heading) => heading.level === 3).map((heading) => heading.text);
}

/** Every inline code span of the page's prose. */
const codeSpans = [...prose.matchAll(/`([^`\n]+)`/g)].map(([, span]) => span);

/** The TypeScript sources of the libraries and services (tests left out): where names are defined. */
function sources(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(full);
      } else if (entry.name.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(entry.name)) {
        texts.push(readFileSync(full, 'utf8'));
      }
    }
  };
  for (const workspace of ['libs', 'services']) {
    for (const project of readdirSync(path.join(root, workspace))) {
      const src = path.join(root, workspace, project, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  return texts.join('\n');
}
const code = sources();

describe('docs/operations.md', () => {
  it('has a section for every alert of alerts.yml, and none for an alert that is gone', () => {
    expect(alerts.length).toBeGreaterThan(0);
    expect(alertSections().sort()).toEqual(alerts.map((rule) => rule.alert).sort());
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))('%s: its runbook_url is its own section', (name, rule) => {
    const url = rule.annotations?.runbook_url ?? '';
    expect(url).toMatch(new RegExp(`^${DOC.replace('.', '\\.')}#`));
    const anchor = url.slice(url.indexOf('#') + 1);
    expect(headings.find((heading) => heading.anchor === anchor)?.text).toBe(name);
  });

  it('links only to headings of its own and to files that exist', () => {
    const links = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target);
    expect(links.length).toBeGreaterThan(0);
    const broken = links.filter((target) => {
      if (target.startsWith('#')) return !anchors.has(target.slice(1));
      if (/^[a-z]+:/.test(target)) return false;
      return !existsSync(path.join(root, 'docs', target.split('#')[0]));
    });
    expect(broken).toEqual([]);
  });

  it('names only skald CLI commands that exist', () => {
    const cli = read('services/gateway/src/cli/cli-io.ts');
    const usage = cli.slice(cli.indexOf('export const USAGE = `'), cli.indexOf('`;', cli.indexOf('export const USAGE = `')));
    // A command's line in the usage: two spaces, the noun, then its verbs (`sagas stuck|compensating|failed`).
    const commands = [...usage.matchAll(/^ {2}([a-z][a-z-]*)(?: ([a-z|-]+))?/gm)].map(([, noun, verbs]) => ({ noun, verbs: verbs?.split('|') ?? [] }));
    const named = [...doc.matchAll(/(?:npm run skald --|node dist\/cli\.js) ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)];
    expect(named.length).toBeGreaterThan(0);
    const unknown = named
      .map(([, noun, verb]) => ({ noun, verb }))
      .filter(({ noun, verb }) => {
        const command = commands.filter((c) => c.noun === noun);
        if (command.length === 0) return true;
        // A verb only counts when the usage gives this noun verbs (`dlq list inventory`: inventory is an argument).
        return verb !== undefined && command.some((c) => c.verbs.length > 0) && !command.some((c) => c.verbs.includes(verb));
      });
    expect(unknown).toEqual([]);
  });

  it('names only migration commands that exist', () => {
    const allowed = /usage: migrate \[([a-z|]+)\]/.exec(read('libs/persistence/src/migrations/migration-cli.ts'))![1].split('|');
    const named = [...doc.matchAll(/node dist\/migrate\.js ([a-z]+)/g)].map(([, verb]) => verb);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((verb) => !allowed.includes(verb))).toEqual([]);
  });

  it('names only public routes the gateway has', () => {
    const openapi = JSON.parse(read('docs/api/openapi.json')) as { paths: Record<string, unknown> };
    const pattern = (route: string) => route.split('/').map((segment) => (/^[{<].*[}>]$/.test(segment) ? '*' : segment)).join('/');
    const known = new Set(Object.keys(openapi.paths).map(pattern));
    const named = [...doc.matchAll(/\/v1\/[\w{}<>./-]*[\w}>]/g)].map(([route]) => route.split('?')[0]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((route) => !known.has(pattern(route)))).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const k8s = /^(?:\.\.\/)*(base|overlays|components|examples)\//;
    const candidates = codeSpans
      .map((span) => span.split('#')[0].replace(/[:,]$/, ''))
      .filter((span) => /^(deploy|docs|libs|services|scripts|e2e)\//.test(span) || k8s.test(span))
      .filter((span) => !/\s/.test(span));
    expect(candidates.length).toBeGreaterThan(0);
    const missing = candidates.filter((span) => {
      const file = span.replace(/<service>/g, 'orders').replace(/^(?:\.\.\/)+/, '');
      return !existsSync(path.join(root, k8s.test(span) ? path.join('deploy/k8s', file) : file));
    });
    expect(missing).toEqual([]);
  });

  it('names only metrics a service defines', () => {
    const databases = new RegExp(`^skald_(${SERVICES.join('|')})$`);
    const named = [...new Set([...doc.matchAll(/\bskald_[a-z0-9_]*[a-z0-9]/g)].map(([name]) => name))].filter((name) => !databases.test(name));
    expect(named.length).toBeGreaterThan(0);
    const defined = new Set(code.match(/\bskald_[a-z0-9_]+/g));
    expect(named.filter((name) => !defined.has(name.replace(/_(bucket|count|sum)$/, '')))).toEqual([]);
  });

  it('names only variables and error codes the code knows', () => {
    const named = [...new Set(codeSpans.filter((span) => /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(span)))];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !code.includes(name))).toEqual([]);
  });
});
