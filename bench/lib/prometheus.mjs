// Reads a service's Prometheus text exposition (GET /metrics) into plain samples, so a benchmark
// can take counter deltas over its run: messages published, consumed, HTTP requests, GC time.

/** Fetches `${baseUrl}/metrics` and parses it. */
export async function scrape(baseUrl) {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`${baseUrl}/metrics answered ${res.status}`);
  return parseExposition(await res.text());
}

/**
 * `name{a="x",b="y"} 12.5` lines → [{ name, labels: { a: 'x', b: 'y' }, value: 12.5 }].
 * Comments, blank lines and timestamps are ignored; label values may hold escaped quotes.
 */
export function parseExposition(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples called `name` whose labels include every pair of `where`. */
export function sumOf(samples, name, where = {}) {
  let total = 0;
  for (const sample of samples) {
    if (sample.name !== name) continue;
    if (Object.entries(where).every(([key, value]) => sample.labels[key] === value)) total += sample.value;
  }
  return total;
}

/** `sumOf` grouped by the value of one label: Map(label value → sum). */
export function sumBy(samples, name, label, where = {}) {
  const groups = new Map();
  for (const sample of samples) {
    if (sample.name !== name) continue;
    if (!Object.entries(where).every(([key, value]) => sample.labels[key] === value)) continue;
    const key = sample.labels[label] ?? '';
    groups.set(key, (groups.get(key) ?? 0) + sample.value);
  }
  return groups;
}
