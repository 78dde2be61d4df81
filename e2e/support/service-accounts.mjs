// Least privilege in the e2e suite: each service runs as its own PostgreSQL role (owner of its own
// database only) and its own RabbitMQ user (exactly brokerPermissions(service) on the run's vhost),
// made here as a platform team would (the same SQL as deploy/least-privilege/postgres-roles.sh),
// with throwaway passwords made for the run. Every e2e test then proves the permissions suffice;
// e2e/src/platform/least-privilege.e2e-spec.ts proves they are no wider.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { brokerPermissions, postgresSetupSql, serviceAccount, SKALD_SERVICES, TEST_RUN_TAG, vhostAdmin, vhostOf } from '@skald/testing';
import { POSTGRES_SERVER } from './environment.mjs';

/**
 * @typedef {object} ServiceAccount
 * @property {string} account      the role, the user and the database name
 * @property {string} databaseUrl  the service's DATABASE_URL: its role on its database
 * @property {string} rabbitmqUrl  the service's RABBITMQ_URL: its user on the vhost
 * @property {string} adminDatabaseUrl the same database as the server's superuser, for the tests' own queries
 */

const asUser = (/** @type {string} */ url, /** @type {string} */ user, /** @type {string} */ password) => {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
};

/** Runs SQL through psql as the server's superuser: the generated setup uses psql's \gexec and variables. */
function psql(/** @type {string} */ sql, /** @type {Record<string, string>} */ variables = {}) {
  const args = [`${POSTGRES_SERVER}/postgres`, '-q', '-v', 'ON_ERROR_STOP=1', ...Object.entries(variables).flatMap(([k, v]) => ['-v', `${k}=${v}`])];
  const result = spawnSync('psql', args, { input: sql, encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`psql failed: ${result.error?.message ?? result.stderr}`);
}

/**
 * Makes a role and database and a broker user per service for a run, on the vhost of `vhostUrl`.
 * @param {string} vhostUrl the run's vhost (as the administering user)
 * @returns {Promise<{ accounts: Record<string, ServiceAccount>, remove(): Promise<void> }>}
 */
export async function createServiceAccounts(vhostUrl) {
  const prefix = [TEST_RUN_TAG, 'e2e', randomBytes(4).toString('hex')].filter(Boolean).join('_');
  const admin = await vhostAdmin(vhostUrl);
  /** @type {Record<string, ServiceAccount>} */
  const accounts = {};
  for (const service of SKALD_SERVICES) {
    const account = serviceAccount(service, prefix);
    const password = randomBytes(16).toString('hex');
    psql(postgresSetupSql(service, account), { password });
    await admin.addUser(account, password, vhostOf(vhostUrl), brokerPermissions(service));
    accounts[service] = {
      account,
      databaseUrl: asUser(`${POSTGRES_SERVER}/${account}`, account, password),
      rabbitmqUrl: asUser(vhostUrl, account, password),
      adminDatabaseUrl: `${POSTGRES_SERVER}/${account}`,
    };
  }
  return {
    accounts,
    // After the databases are dropped (a role that owns one cannot be).
    remove: async () => {
      for (const { account } of Object.values(accounts)) {
        await admin.removeUser(account).catch(() => undefined);
        psql(`DROP DATABASE IF EXISTS "${account}" WITH (FORCE);\nDROP ROLE IF EXISTS "${account}";`);
      }
    },
  };
}
