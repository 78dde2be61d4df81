const path = require('node:path');

module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: '@skald/e2e',
  rootDir: __dirname,
  // One started suite (six service processes) shared by every e2e file.
  globalSetup: path.join(__dirname, 'support/global-setup.mjs'),
  globalTeardown: path.join(__dirname, 'support/global-teardown.mjs'),
  testTimeout: 60_000,
};
