// Who used the CPU during a measurement: this process, PostgreSQL, RabbitMQ, everything else.
// On a small machine the benchmark shares its cores with the servers it measures, and any other
// busy process skews the figures; this says which. Linux only (reads /proc); null elsewhere.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

// /proc reports CPU time in clock ticks, USER_HZ, which is 100 on every mainstream Linux build.
const TICKS_PER_SECOND = 100;

const GROUPS = [
  ['postgres', /^postgres$/],
  ['rabbitmq', /^(beam\.smp|erl_child_setup|epmd|inet_gethost)$/],
];

/** CPU ticks used so far: by the machine (all processes) and by each group. */
export function cpuSnapshot() {
  if (!fs.existsSync('/proc/stat')) return null;
  // "cpu  user nice system idle iowait irq softirq steal …": busy is all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const machine = user + nice + system + irq + softirq + steal;
  const snapshot = { at: performance.now(), machine, bench: 0, postgres: 0, rabbitmq: 0 };
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state …": comm may hold spaces, so split after its closing parenthesis.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime (all threads) + cutime + cstime: a process's own time and that of its children
    // that ended (a PostgreSQL backend closed meanwhile is added to the postmaster's).
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    const group = Number(pid) === process.pid ? 'bench' : GROUPS.find(([, pattern]) => pattern.test(comm))?.[0];
    if (group) snapshot[group] += ticks;
  }
  return snapshot;
}

/**
 * Percent of one core used by each group between two snapshots; "other" is the machine's busy
 * time not accounted for by the groups (including processes that came and went in between).
 */
export function cpuUsage(before, after) {
  if (!before || !after) return null;
  const seconds = (after.at - before.at) / 1000;
  const percent = (key) => ((after[key] - before[key]) / TICKS_PER_SECOND / seconds) * 100;
  const usage = { bench: percent('bench'), postgres: percent('postgres'), rabbitmq: percent('rabbitmq') };
  usage.other = Math.max(0, percent('machine') - usage.bench - usage.postgres - usage.rabbitmq);
  return usage;
}

/** "bench 95%, postgres 60%, rabbitmq 30%, other 5%" */
export function formatCpuUsage(usage) {
  if (!usage) return 'n/a';
  return Object.entries(usage)
    .map(([group, percent]) => `${group} ${percent.toFixed(0)}%`)
    .join(', ');
}
