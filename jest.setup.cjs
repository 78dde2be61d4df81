// Nest's console logger is noise in test output; TEST_LOGS=1 brings it back when debugging.
if (!process.env.TEST_LOGS) {
  const { Logger } = require('@nestjs/common');
  Logger.overrideLogger(['error']);
}
