// Loads (or checks) the scale benchmark's order history on its own: `npm run bench:history -- …`.
//   --history=1000000   orders of history (default 1,000,000)
//   --history-skus=N    SKUs in the catalog and stock (default: as many as orders, at most 1,000,000)
//   --history-platforms=300
//   --keep-history      keep the databases (bench_<service>_history_<N>) for bench:orders -- --history=N --keep-history;
//                       without it the databases are loaded, timed and dropped again
//   --drop              drop a kept history of that size instead
// Hold the machine lock: flock /tmp/skald-e2e.lock npm run bench:history -- --keep-history
import { randomBytes } from 'node:crypto';
import { dropDatabase } from '@skald/persistence';
import { SERVICES } from '../../scripts/lib/suite.mjs';
import { flag, intSetting } from '../lib/settings.mjs';
import { dropHistory, historyDatabaseName, prepareHistory } from './history.mjs';

const server = (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
const orders = intSetting('history', 1_000_000);
const skus = intSetting('history-skus', Math.min(orders, 1_000_000));
const platforms = intSetting('history-platforms', 300);
const keep = flag('keep-history');
const services = SERVICES.map((s) => s.name);
const runId = randomBytes(4).toString('hex');

if (flag('drop')) {
  await dropHistory({ server, services, orders });
  console.log(`dropped ${services.map((name) => historyDatabaseName(name, { keep: true, orders })).join(', ')}`);
} else {
  const history = await prepareHistory({ server, services, orders, skus, platforms, keep, runId });
  if (!keep) {
    for (const url of Object.values(history.databases)) await dropDatabase(url);
    console.log('dropped the databases again (--keep-history keeps them)');
  }
}
