// Shared Jest preset. NestJS 12 ships ESM only; Jest runs CommonJS, so @swc/jest compiles our
// TypeScript and the ESM packages in node_modules to CommonJS (with decorator metadata for DI).
const path = require('node:path');

const esmPackages = ['@nestjs', '@redocly', 'nestjs-pino', 'uuid'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '^@skald/(contracts|messaging|persistence|service-kit|testing)$': path.join(__dirname, 'libs/$1/src/index.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Integration tests boot services and wait on the broker; on a busy 2-core CI machine a boot in
  // beforeAll can take longer than Jest's 5 s default. Conditions are still awaited, never slept on.
  testTimeout: 60_000,
  setupFiles: [path.join(__dirname, 'jest.setup.cjs')],
  testMatch: ['**/?(*.)+(spec|int-spec|e2e-spec).ts'],
};
