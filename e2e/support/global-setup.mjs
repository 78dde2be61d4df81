// Starts the six services once for every e2e file: each with its own fresh database, all on a
// RabbitMQ vhost of this run's own.
import { startSuite } from '../../scripts/lib/suite.mjs';
import { createTestVhost } from '@skald/testing';
import { RABBITMQ_URL, serviceEnv } from './environment.mjs';
import { publishSuiteState } from './suite-state.mjs';

export default async function globalSetup() {
  const vhost = await createTestVhost('e2e', RABBITMQ_URL);
  const databases = {};
  const suite = await startSuite(async (name) => {
    const env = await serviceEnv(name, { RABBITMQ_URL: vhost.url });
    databases[name] = env.DATABASE_URL;
    return env;
  });
  globalThis.skaldSuite = { suite, removeVhost: vhost.remove };
  publishSuiteState({ urls: suite.urls, databases, rabbitmqUrl: vhost.url });
}
