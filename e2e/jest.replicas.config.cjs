const path = require('node:path');

/**
 * The order-saga (shortage and cancellation included) and returns flows against two replicas of
 * every service on the same queues and databases, behind round-robin balancers (issue 12: competing
 * consumers, outbox relays, schedulers and sweepers safe together); then src/replicas checks that
 * every replica did its share. `npx jest -c jest.replicas.config.cjs`; the nx target `test-replicas`.
 */
module.exports = {
  ...require('./jest.config.cjs'),
  displayName: '@skald/e2e (two replicas)',
  globalSetup: path.join(__dirname, 'support/global-setup-replicas.mjs'),
  testMatch: ['<rootDir>/src/{order-saga,shortage,cancellation,returns,replicas}/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testSequencer: path.join(__dirname, 'support/replicas-last-sequencer.cjs'),
};
