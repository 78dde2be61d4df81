// Preloaded into each service by `run.mjs --count-queries` (NODE_OPTIONS=--require <this file>):
// counts the SQL statements the service sends, by kind and by text, without touching its code —
// it wraps pg.Client.prototype.query, which TypeORM, the outbox relay and the listeners all go
// through. On SIGUSR2 it writes the counts so far to $BENCH_QUERY_COUNT_DIR/<service>.<n>.json,
// so the benchmark can take the difference over its measured run. CommonJS: a preload is synchronous.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_QUERY_COUNT_DIR;
const service = process.env.BENCH_SERVICE_NAME ?? String(process.pid);
if (dir) {
  // The pg the service itself resolves (ESM imports of a CommonJS package share require's cache).
  const pg = require(require.resolve('pg', { paths: [process.cwd()] }));
  const byText = new Map();
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function query(config, values, callback) {
    const text = typeof config === 'string' ? config : config && config.text;
    if (typeof text === 'string') {
      // Parameters are placeholders already ($1…), so the text identifies the statement.
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 160);
      byText.set(key, (byText.get(key) ?? 0) + 1);
    }
    return original.call(this, config, values, callback);
  };
  let dumps = 0;
  process.on('SIGUSR2', () => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${service}.${dumps++}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify([...byText]));
    fs.renameSync(`${file}.tmp`, file); // whole or not at all for the reader
  });
}
