module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: require('./package.json').name,
  rootDir: __dirname,
  // Integration specs boot the service on a scratch database and broker vhost.
};
