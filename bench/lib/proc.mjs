// What one process costs: CPU time (user and system), system calls and peak resident memory,
// read from /proc. Linux only; elsewhere every reading is null and the benchmarks print "n/a".
import fs from 'node:fs';

// /proc reports CPU time in clock ticks, USER_HZ, which is 100 on every mainstream Linux build.
export const TICKS_PER_SECOND = 100;

/** utime and stime of a process (all its threads), in ticks; null once it is gone. */
export function processCpu(pid) {
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state …": comm may hold spaces, so split after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

/**
 * Read and write system calls of a process so far (/proc/<pid>/io: syscr, syscw). On a socket,
 * each is roughly one message sent or one batch received: a proxy for network round trips.
 */
export function processIo(pid) {
  let io;
  try {
    io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  } catch {
    return null;
  }
  const field = (name) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
  return { syscr: field('syscr'), syscw: field('syscw') };
}

/**
 * Peak resident set size (VmHWM) of a live process, in bytes: the most physical memory it has
 * held at once since it started, which is what a container memory limit has to accommodate.
 */
export function peakRssBytes(pid) {
  return statusField(pid, 'VmHWM');
}

/** Current resident set size (VmRSS), in bytes. */
export function rssBytes(pid) {
  return statusField(pid, 'VmRSS');
}

function statusField(pid, field) {
  let status;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** CPU ticks and system calls of each pid now; pids that are gone are left out. */
export function sampleProcesses(pids) {
  const samples = new Map();
  for (const pid of pids) {
    const cpu = processCpu(pid);
    if (!cpu) continue;
    samples.set(pid, { ...cpu, ...(processIo(pid) ?? { syscr: Number.NaN, syscw: Number.NaN }) });
  }
  return samples;
}

/**
 * What `pids` used between two `sampleProcesses` readings: CPU seconds (user, system, total) and
 * system calls. A pid absent from `before` started in between and counts from zero; processes that
 * ended in between are lost (their CPU is in the machine's total, not here).
 */
export function usageBetween(before, after, pids = [...after.keys()]) {
  const total = { user: 0, system: 0, syscalls: 0 };
  for (const pid of pids) {
    const now = after.get(pid);
    if (!now) continue;
    const was = before.get(pid) ?? { user: 0, system: 0, syscr: 0, syscw: 0 };
    total.user += (now.user - was.user) / TICKS_PER_SECOND;
    total.system += (now.system - was.system) / TICKS_PER_SECOND;
    total.syscalls += now.syscr - was.syscr + (now.syscw - was.syscw);
  }
  return { ...total, cpu: total.user + total.system };
}
