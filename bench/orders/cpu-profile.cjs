// Preloaded into each service by `run.mjs --cpu-prof` (NODE_OPTIONS=--require <this file>).
// Node 20 refuses --cpu-prof in NODE_OPTIONS, and the suite launcher runs `node dist/main.js` with
// no way to add flags, so this starts V8's sampling profiler through the in-process inspector and
// writes a .cpuprofile (the same format --cpu-prof writes) when the process exits — a service
// exits on SIGTERM after its graceful shutdown. CommonJS, because a preload must be synchronous.
'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
const name = process.env.BENCH_CPU_PROF_NAME ?? `profile-${process.pid}.cpuprofile`;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  // 1 ms, as --cpu-prof's default; it must be set before the profiler starts.
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // A same-thread inspector session answers synchronously, so this works inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, name), JSON.stringify(result.profile));
    });
  });
}
