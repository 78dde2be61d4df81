const path = require('node:path');

module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: '@skald/e2e',
  rootDir: __dirname,
  // One started suite (six service processes) shared by every e2e file.
  globalSetup: path.join(__dirname, 'support/global-setup.mjs'),
  globalTeardown: path.join(__dirname, 'support/global-teardown.mjs'),
  testTimeout: 90_000,
  // The files share one started suite and the SMTP/SMS ports it was given: one file at a time.
  maxWorkers: 1,
  // The replicas check runs in the replicas run only (jest.replicas.config.cjs).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/replicas/'],
};
