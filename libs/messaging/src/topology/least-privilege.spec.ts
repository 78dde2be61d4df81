import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMMANDS_EXCHANGE, EVENTS_EXCHANGE } from '@skald/contracts';
import {
  brokerPermissions,
  postgresSetupSql,
  renderPermissionsTable,
  renderPostgresRolesScript,
  renderRabbitmqUsersScript,
  SKALD_SERVICES,
  type BrokerPermissions,
} from './least-privilege.js';
import { deadLetterQueueName, mainQueueName, retryQueueName, UNROUTED_EVENTS_QUEUE, UNROUTED_QUEUE } from './names.js';

// The committed artefacts generated from least-privilege.ts. `node scripts/least-privilege.mjs`
// writes them anew (this spec in its writing mode); commit them with the change.
const root = path.resolve(__dirname, '../../../..');
const WRITE = process.env.SKALD_WRITE_LEAST_PRIVILEGE === 'true';
const TABLE_START = '<!-- least-privilege table: generated from libs/messaging/src/topology/least-privilege.ts -->';
const TABLE_END = '<!-- end of the least-privilege table -->';

/** Whether RabbitMQ would grant `resource` under `pattern` (it matches the regex, anchored by us). */
const allows = (pattern: string, resource: string) => new RegExp(pattern).test(resource);
const may = (p: BrokerPermissions, kind: keyof BrokerPermissions, resource: string) => allows(p[kind], resource);

describe('least privilege: each service’s broker permissions', () => {
  it.each(SKALD_SERVICES)('%s: its own queues fully, no other service’s queue at all', (service) => {
    const p = brokerPermissions(service);
    for (const queue of [mainQueueName(service), deadLetterQueueName(service), retryQueueName(service, 1000), retryQueueName(service, 300_000)]) {
      for (const kind of ['configure', 'write', 'read'] as const) expect(may(p, kind, queue)).toBe(true);
    }
    for (const other of SKALD_SERVICES.filter((s) => s !== service)) {
      for (const queue of [mainQueueName(other), deadLetterQueueName(other), retryQueueName(other, 1000)]) {
        for (const kind of ['configure', 'write', 'read'] as const) expect({ kind, queue, allowed: may(p, kind, queue) }).toEqual({ kind, queue, allowed: false });
      }
    }
    // Names that merely start like its own.
    expect(may(p, 'read', `${mainQueueName(service)}x`)).toBe(false);
    expect(may(p, 'read', `${mainQueueName(service)}.dlq.other`)).toBe(false);
    expect(may(p, 'read', `x${mainQueueName(service)}`)).toBe(false);
  });

  it('lets each service publish to the exchanges its messages go to, and no other', () => {
    const publishers = (exchange: string) => SKALD_SERVICES.filter((service) => may(brokerPermissions(service), 'write', exchange));
    expect(publishers(EVENTS_EXCHANGE)).toEqual(['gateway', 'orders', 'inventory', 'warehouse', 'returns']);
    expect(publishers(COMMANDS_EXCHANGE)).toEqual(['orders', 'returns']);
    for (const exchange of ['amq.topic', 'amq.direct', 'amq.fanout', 'skald.eventsx']) expect(publishers(exchange)).toEqual([]);
  });

  it('lets every service declare the shared unrouted queues (each declares the whole shared topology on start)', () => {
    for (const service of SKALD_SERVICES) {
      expect(may(brokerPermissions(service), 'configure', UNROUTED_QUEUE)).toBe(true);
      expect(may(brokerPermissions(service), 'configure', UNROUTED_EVENTS_QUEUE)).toBe(true);
    }
  });
});

describe('the committed artefacts are generated from these permissions', () => {
  const artefacts: Array<[string, () => string]> = [
    ['deploy/least-privilege/postgres-roles.sh', renderPostgresRolesScript],
    ['deploy/least-privilege/rabbitmq-users.sh', renderRabbitmqUsersScript],
  ];

  it.each(artefacts)('%s', (file, render) => {
    const target = path.join(root, file);
    if (WRITE) writeFileSync(target, render(), { mode: 0o755 });
    expect(readFileSync(target, 'utf8')).toBe(render());
  });

  it('docs/operations.md carries the permissions table', () => {
    const target = path.join(root, 'docs/operations.md');
    const doc = readFileSync(target, 'utf8');
    const start = doc.indexOf(TABLE_START);
    const end = doc.indexOf(TABLE_END);
    expect({ start: start >= 0, end: end > start }).toEqual({ start: true, end: true });
    const current = doc.slice(start + TABLE_START.length, end);
    const expected = `\n${renderPermissionsTable()}\n`;
    if (WRITE) writeFileSync(target, doc.slice(0, start + TABLE_START.length) + expected + doc.slice(end));
    else expect(current).toBe(expected);
    // The worked example for a platform team (orders) is the generated SQL and permissions.
    expect(doc).toContain(postgresSetupSql('orders'));
    for (const pattern of Object.values(brokerPermissions('orders'))) expect(doc).toContain(`'${pattern}'`);
  });
});

describe('the generated scripts, run by sh with psql and rabbitmqctl that record what they are asked', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(path.join(tmpdir(), 'least-privilege-'));
    // Each call: its arguments one per line, then its standard input, then a separator.
    for (const tool of ['psql', 'rabbitmqctl']) {
      writeFileSync(path.join(bin, tool), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> "${bin}/calls"\n[ "$1" = -q ] || cat >> "${bin}/calls"\necho ---- >> "${bin}/calls"\n`, { mode: 0o755 });
    }
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const run = (script: string, env: Record<string, string>) => {
    rmSync(path.join(bin, 'calls'), { force: true });
    execFileSync('sh', [path.join(root, 'deploy/least-privilege', script)], { env: { PATH: `${bin}:${process.env.PATH}`, ...env }, stdio: 'pipe' });
    return readFileSync(path.join(bin, 'calls'), 'utf8').split('----\n').filter(Boolean).map((call) => call.trimEnd().split('\n'));
  };
  const urls = (what: string, url: (service: string) => string) =>
    Object.fromEntries(SKALD_SERVICES.map((service) => [`SKALD_${service.toUpperCase()}_${what}`, url(service)]));

  it('postgres-roles.sh gives each service its role with the password of its own DATABASE_URL', () => {
    const calls = run('postgres-roles.sh', urls('DATABASE_URL', (s) => `postgres://skald_${s}:pw-${s}@db:5432/skald_${s}`));
    expect(calls.map((call) => call.find((arg) => arg.startsWith('password=')))).toEqual(SKALD_SERVICES.map((s) => `password=pw-${s}`));
    // psql reads the SQL from its standard input, after its arguments (the password last).
    expect(calls.map((call) => call.slice(call.findIndex((arg) => arg.startsWith('password=')) + 1).join('\n'))).toEqual(SKALD_SERVICES.map((s) => postgresSetupSql(s)));
  });

  it('rabbitmq-users.sh gives each service its user, password and permissions on the vhost of its RABBITMQ_URL', () => {
    const calls = run('rabbitmq-users.sh', urls('RABBITMQ_URL', (s) => (s === 'gateway' ? `amqp://skald_${s}:pw-${s}@mq:5672` : `amqp://skald_${s}:pw-${s}@mq:5672/skald`)));
    const users = calls.filter((call) => call[1] === 'add_user').map((call) => call.slice(2));
    expect(users).toEqual(SKALD_SERVICES.map((s) => [`skald_${s}`, `pw-${s}`]));
    const grants = calls.filter((call) => call[1] === 'set_permissions').map((call) => call.slice(3));
    expect(grants).toEqual(
      SKALD_SERVICES.map((s) => {
        const p = brokerPermissions(s);
        return [s === 'gateway' ? '/' : 'skald', `skald_${s}`, p.configure, p.write, p.read];
      }),
    );
  });

  it('both refuse to run when a service’s URL is missing, naming it', () => {
    expect(() => run('rabbitmq-users.sh', {})).toThrow(/SKALD_GATEWAY_RABBITMQ_URL/);
    expect(() => run('postgres-roles.sh', urls('DATABASE_URL', (s) => `postgres://skald_${s}@db/skald_${s}`))).toThrow(/gateway: no password in its URL/);
  });
});
