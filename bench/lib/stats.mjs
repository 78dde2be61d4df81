// Small helpers for benchmark scripts: percentiles and plain-text tables.

/**
 * Nearest-rank percentile of an ascending array: the smallest sample that at least p % of the
 * samples do not exceed. No interpolation, so every figure printed is a latency that happened.
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1];
}

/** count, mean, p50, p99 and max of a list of samples (milliseconds, say). */
export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? total / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** A number for a table cell; `digits` after the point, '-' for a missing value. */
export function fixed(value, digits = 2) {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** Left-aligned columns, two spaces apart, a rule under the header. Cells are strings. */
export function formatTable(header, rows) {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => String(row[column] ?? '').length)));
  const line = (row) =>
    row
      .map((cell, column) => String(cell ?? '').padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
