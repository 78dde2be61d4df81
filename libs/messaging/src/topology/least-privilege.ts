import { COMMANDS_EXCHANGE, EVENTS_EXCHANGE } from '@skald/contracts';
import { deadLetterQueueName, mainQueueName, UNROUTED_EVENTS_EXCHANGE, UNROUTED_EVENTS_QUEUE, UNROUTED_EXCHANGE, UNROUTED_QUEUE } from './names.js';

/**
 * Least privilege (issue #12): what each service may do on the broker and in PostgreSQL — the one
 * source of truth for docker-compose's init scripts, the Kubernetes dev overlay, the commands in
 * docs/operations.md (generated from here: `node scripts/least-privilege.mjs`) and the e2e test that
 * proves the permissions are enough and no wider.
 */

export const SKALD_SERVICES = ['gateway', 'orders', 'inventory', 'warehouse', 'returns', 'notifications'] as const;
export type SkaldService = (typeof SKALD_SERVICES)[number];

/**
 * The topic exchanges each service's outbox relay publishes to. Events are published by their
 * owner; commands by the sagas that send them (orders: reserve and release stock, outbound notes,
 * review; returns: expected returns, receipts, returned stock, replacement orders). Notifications
 * publishes nothing. A service whose code starts sending to another exchange must be added here:
 * the e2e least-privilege test fails until it is (its outbox cannot publish).
 */
export const PUBLISHES: Readonly<Record<SkaldService, readonly string[]>> = {
  gateway: [EVENTS_EXCHANGE],
  orders: [EVENTS_EXCHANGE, COMMANDS_EXCHANGE],
  inventory: [EVENTS_EXCHANGE],
  warehouse: [EVENTS_EXCHANGE],
  returns: [EVENTS_EXCHANGE, COMMANDS_EXCHANGE],
  notifications: [],
};

/**
 * The default exchange as RabbitMQ's permissions name it. Retries and dead letters go through it
 * (`sendToQueue` to the service's own retry, dead-letter and main queues), and declaring a queue
 * whose dead-letter exchange is the default one needs write on it. Write on it lets a user put a
 * message into any queue of the vhost by name: RabbitMQ's permissions cannot narrow that.
 */
export const DEFAULT_EXCHANGE_RESOURCE = 'amq.default';

/** A user's permissions on a vhost: RabbitMQ regular expressions over resource names. */
export interface BrokerPermissions {
  configure: string;
  write: string;
  read: string;
}

const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (patterns: string[]) => `^(${patterns.join('|')})$`;

/** The service's own queues: main, dead-letter, and every delayed-retry queue whatever its delay. */
function ownQueues(service: string): string {
  return `${escape(mainQueueName(service))}(\\.retry\\.[0-9]+ms)?|${escape(deadLetterQueueName(service))}`;
}

/**
 * A service's broker permissions. Every service declares the shared topology on start
 * (`assertExchanges`: both topic exchanges with their alternate exchanges, and the two unrouted
 * queues bound to them) and its own queues (`assertServiceTopology`), so RabbitMQ asks for
 * (https://www.rabbitmq.com/docs/access-control):
 * - configure: its own queues, the four shared exchanges and the two unrouted queues (declare);
 * - write: its own queues and the unrouted queues (queue.bind), the alternate exchanges (declaring
 *   an exchange with one), the default exchange (retries, dead letters, replays), and the topic
 *   exchanges it publishes to ({@link PUBLISHES});
 * - read: its own queues (consume, dead-letter inspection, declaring with a dead-letter exchange)
 *   and the exchanges it binds from. The unrouted exchanges and queues share their names, so read
 *   on the unrouted exchanges also covers their queues.
 * Never another service's queue, and no exchange it does not use.
 */
export function brokerPermissions(service: SkaldService): BrokerPermissions {
  const own = ownQueues(service);
  const unrouted = [UNROUTED_EXCHANGE, UNROUTED_EVENTS_EXCHANGE, UNROUTED_QUEUE, UNROUTED_EVENTS_QUEUE].filter((n, i, all) => all.indexOf(n) === i).map(escape);
  return {
    configure: anyOf([own, escape(EVENTS_EXCHANGE), escape(COMMANDS_EXCHANGE), ...unrouted]),
    write: anyOf([own, ...unrouted, escape(DEFAULT_EXCHANGE_RESOURCE), ...PUBLISHES[service].map(escape)]),
    read: anyOf([own, escape(EVENTS_EXCHANGE), escape(COMMANDS_EXCHANGE), ...unrouted]),
  };
}

/**
 * The PostgreSQL role and RabbitMQ user of a service (`skald_orders`), and the name of its database
 * (the same). A test run prefixes them with its tag to keep them apart from any other run's.
 */
export function serviceAccount(service: SkaldService, prefix = 'skald'): string {
  return `${prefix}_${service}`;
}

/**
 * The SQL a PostgreSQL superuser runs for one service (psql, with the variable `password` set):
 * a login role that is no superuser, cannot create databases or roles, owns its database (and
 * so its `public` schema, PostgreSQL 15+), and is the only one besides superusers that may
 * connect to it. Idempotent: a second run changes the password only.
 */
export function postgresSetupSql(service: SkaldService, account = serviceAccount(service)): string {
  const role = `"${account}"`;
  return [
    `SELECT format('CREATE ROLE %I', '${account}') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${account}') \\gexec`,
    `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';`,
    `SELECT format('CREATE DATABASE %I OWNER %I', '${account}', '${account}') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${account}') \\gexec`,
    `ALTER DATABASE ${role} OWNER TO ${role};`,
    `REVOKE ALL ON DATABASE ${role} FROM PUBLIC;`,
  ].join('\n');
}

/** The `rabbitmqctl` commands that make one service's user on a vhost (a shell word), its password in `$password`. */
export function rabbitmqSetupCommands(service: SkaldService, vhostWord = '"$vhost"', account = serviceAccount(service)): string[] {
  const p = brokerPermissions(service);
  // The regular expressions hold no single quote: quoting them so keeps the shell off them.
  return [
    `rabbitmqctl -q add_user ${account} "$password" 2>/dev/null || rabbitmqctl -q change_password ${account} "$password"`,
    `rabbitmqctl -q set_permissions -p ${vhostWord} ${account} '${p.configure}' '${p.write}' '${p.read}'`,
  ];
}

const GENERATED = (what: string) =>
  `# ${what}\n# Generated from libs/messaging/src/topology/least-privilege.ts by scripts/least-privilege.mjs: do not edit.`;
const envName = (service: SkaldService, what: 'DATABASE_URL' | 'RABBITMQ_URL') => `SKALD_${service.toUpperCase()}_${what}`;

/**
 * A shell function for the generated scripts: the password of a URL (between the user's `:` and
 * the last `@`). The passwords travel in the services' own URLs, so that each service's secret
 * stays the one place its password is kept. POSIX sh cannot percent-decode: a password must be
 * URL-safe (letters, digits, `-._~`; scripts/compose-secrets.sh makes hex ones).
 */
const PASSWORD_OF = `password_of() {
  userinfo=\${1#*://}; userinfo=\${userinfo%@*}
  case $userinfo in
    *%*) echo "$2: use a password without characters to percent-encode in its URL" >&2; exit 1 ;;
    *:?*) printf '%s' "\${userinfo#*:}" ;;
    *) echo "$2: no password in its URL" >&2; exit 1 ;;
  esac
}`;

/**
 * deploy/least-privilege/postgres-roles.sh: for `/docker-entrypoint-initdb.d` (compose, the dev
 * overlay), or for a platform team to run as a superuser (`PGHOST=… sh postgres-roles.sh`).
 */
export function renderPostgresRolesScript(): string {
  const blocks = SKALD_SERVICES.map(
    (service) => `# ${service}
password=$(password_of "\${${envName(service, 'DATABASE_URL')}:?the DATABASE_URL of ${service}, with its password}" ${service})
psql -v ON_ERROR_STOP=1 -q --username "\${POSTGRES_USER:-postgres}" --dbname postgres -v password="$password" <<'SQL'
${postgresSetupSql(service)}
SQL`,
  );
  return `#!/bin/sh
${GENERATED('One PostgreSQL role and database per Skald service: each role owns its database and nothing else.')}
# Each password is read from the service's own database URL, ${envName('orders', 'DATABASE_URL')} and so on
# (postgres://skald_orders:<password>@<host>:5432/skald_orders). Idempotent: run again, it sets the passwords.
set -eu
${PASSWORD_OF}

${blocks.join('\n\n')}
`;
}

/**
 * deploy/least-privilege/rabbitmq-users.sh: run where `rabbitmqctl` reaches the broker (inside its
 * container: compose and the dev overlay do it on start), on the vhost of each service's URL.
 */
export function renderRabbitmqUsersScript(): string {
  const blocks = SKALD_SERVICES.map(
    (service) => `# ${service}
url="\${${envName(service, 'RABBITMQ_URL')}:?the RABBITMQ_URL of ${service}, with its password}"
password=$(password_of "$url" ${service})
vhost=$(vhost_of "$url")
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
${rabbitmqSetupCommands(service).join('\n')}`,
  );
  return `#!/bin/sh
${GENERATED('One RabbitMQ user per Skald service with exactly the permissions it needs on its vhost.')}
# Each password and vhost is read from the service's own broker URL, ${envName('orders', 'RABBITMQ_URL')} and so on
# (amqp://skald_orders:<password>@<host>:5672[/<vhost>], no vhost: /). Idempotent: run again, it sets the passwords.
set -eu
${PASSWORD_OF}
vhost_of() {
  path=\${1#*://}
  case $path in */?*) printf '%s' "\${path#*/}" ;; *) printf '/' ;; esac
}

${blocks.join('\n\n')}
`;
}

/** The table of docs/operations.md: each service's user and permissions. */
export function renderPermissionsTable(): string {
  const cell = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;
  return [
    '| service | PostgreSQL role = database | RabbitMQ user | configure | write | read |',
    '| --- | --- | --- | --- | --- | --- |',
    ...SKALD_SERVICES.map((service) => {
      const p = brokerPermissions(service);
      return `| ${service} | \`${serviceAccount(service)}\` | \`${serviceAccount(service)}\` | ${cell(p.configure)} | ${cell(p.write)} | ${cell(p.read)} |`;
    }),
  ].join('\n');
}
