// What the global setup hands to the test files, through the environment (Jest workers inherit it).
const KEY = 'SKALD_E2E_SUITE';

/** @param {{ urls: Record<string, string>, databases: Record<string, string>, rabbitmqUrl: string }} state */
export function publishSuiteState(state) {
  process.env[KEY] = JSON.stringify(state);
}

/** @returns {{ urls: Record<string, string>, databases: Record<string, string>, rabbitmqUrl: string }} */
export function suite() {
  const raw = process.env[KEY];
  if (!raw) throw new Error('the e2e suite is not running (globalSetup did not start it)');
  return JSON.parse(raw);
}
