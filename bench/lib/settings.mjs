// Benchmark parameters: `--name=value` or `--name value` on the command line, else the
// environment variable BENCH_NAME (dashes become underscores), else the default.

export function setting(name, fallback) {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
    if (args[i] === `--${name}` && i + 1 < args.length && !args[i + 1].startsWith('--')) return args[i + 1];
  }
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

export function intSetting(name, fallback, { min = 1 } = {}) {
  const value = Number(setting(name, fallback));
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
}

/** `--name` alone (or BENCH_NAME=1/true) turns a switch on. */
export function flag(name) {
  if (process.argv.slice(2).includes(`--${name}`)) return true;
  const value = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  return value === '1' || value === 'true';
}
