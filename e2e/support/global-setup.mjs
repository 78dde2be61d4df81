// Starts the six services once for every e2e file: each with its own fresh database, all on a
// RabbitMQ vhost of this run's own.
import { randomBytes } from 'node:crypto';
import { startSuite } from '../../scripts/lib/suite.mjs';
import { createVhost } from './broker-vhost.mjs';
import { RABBITMQ_URL, serviceEnv } from './environment.mjs';
import { publishSuiteState } from './suite-state.mjs';

export default async function globalSetup() {
  const vhost = await createVhost(RABBITMQ_URL, `e2e-${randomBytes(4).toString('hex')}`);
  const databases = {};
  const suite = await startSuite(async (name) => {
    const env = await serviceEnv(name, { RABBITMQ_URL: vhost.url });
    databases[name] = env.DATABASE_URL;
    return env;
  });
  globalThis.skaldSuite = { suite, removeVhost: vhost.remove };
  publishSuiteState({ urls: suite.urls, databases, rabbitmqUrl: vhost.url });
}
