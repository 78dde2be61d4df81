import { dropDatabase } from '@skald/persistence';
import { stopSuite } from '../../scripts/lib/suite.mjs';
import { suite } from './suite-state.mjs';

export default async function globalTeardown() {
  const running = globalThis.skaldSuite;
  if (!running) return;
  const exits = await stopSuite(running.suite);
  await Promise.all(running.balancers.map((balancer) => balancer.close()));
  for (const url of Object.values(suite().databases)) await dropDatabase(url);
  await running.removeAccounts();
  await running.removeVhost();
  const unclean = exits.filter((exit) => exit.code !== 0);
  if (unclean.length > 0) {
    throw new Error(`services did not stop cleanly on SIGTERM: ${JSON.stringify(unclean)}`);
  }
}
