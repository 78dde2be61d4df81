import type { CliIo } from '../cli-io.js';

/** ANSI styles the on-call commands use. */
const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90, bold: 1 } as const;
export type Style = keyof typeof CODES;

/** Colours when stdout is a terminal and NO_COLOR (https://no-color.org) is not set; plain text otherwise. */
export function paint(io: CliIo): (text: string, ...styles: Style[]) => string {
  const colour = io.isTTY === true && !io.env.NO_COLOR;
  return (text, ...styles) => (colour && styles.length > 0 ? `${styles.map((style) => `\x1b[${CODES[style]}m`).join('')}${text}\x1b[0m` : text);
}

/** A cell: its text (measured for alignment) and its styles. */
export interface Cell {
  text: string;
  styles?: Style[];
}

/** Rows aligned in columns (the last column is not padded), two spaces apart. */
export function alignColumns(rows: Cell[][], style: (text: string, ...styles: Style[]) => string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.text.length)));
  return rows.map((row) =>
    row
      .map((cell, index) => style(index === row.length - 1 ? cell.text : cell.text.padEnd(widths[index]), ...(cell.styles ?? [])))
      .join('  ')
      .trimEnd(),
  );
}

/** A time as on-call reads it: UTC, to the millisecond (`2026-12-07 01:02:03.456`). */
export function clock(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

/** A duration in the largest units that matter: `340ms`, `2.4s`, `3m05s`, `4h07m`, `2d03h`. */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(abs)}ms`;
  if (abs < 60_000) return `${(abs / 1_000).toFixed(1)}s`;
  const s = Math.floor(abs / 1_000);
  if (abs < 3_600_000) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (abs < 86_400_000) return `${Math.floor(s / 3_600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor(s / 3_600) % 24).padStart(2, '0')}h`;
}

/** Cuts a text to `max` characters with an ellipsis. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
