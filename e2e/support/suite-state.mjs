// What the global setup hands to the test files, through the environment (Jest workers inherit it).
/**
 * @typedef {object} SuiteState
 * @property {Record<string, string>} urls         each service's base URL (with replicas: the balancer in front of them)
 * @property {Record<string, string[]>} replicas   each process's own base URL, by service (one each unless the suite runs replicas)
 * @property {Record<string, string>} databases    each service's database URL
 * @property {string} rabbitmqUrl                  the run's vhost
 * @property {{ smtp: number, sms: number }} ports where the tests' SMTP server and SMS provider listen
 * @property {string} internalToken               the services' INTERNAL_API_TOKEN this run
 * @property {Record<string, import('./service-accounts.mjs').ServiceAccount>} accounts each service's own role and broker user
 */
/**
 * Where a test's clients and queries go: the shared suite by default, or a suite a test started
 * itself (the fault test, which kills and restarts its services).
 * @typedef {Pick<SuiteState, 'urls' | 'databases'>} SuiteTarget
 */
const KEY = 'SKALD_E2E_SUITE';

/** @param {SuiteState} state */
export function publishSuiteState(state) {
  process.env[KEY] = JSON.stringify(state);
}

/** @returns {SuiteState} */
export function suite() {
  const raw = process.env[KEY];
  if (!raw) throw new Error('the e2e suite is not running (globalSetup did not start it)');
  return JSON.parse(raw);
}
