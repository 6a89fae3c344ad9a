/**
 * Plain-text building blocks of the CLI's human output: numbers (integers as integers),
 * percentages, ISO-8601 UTC times, aligned tables and label/value blocks. Rounding happens
 * only here, for display; `--json` prints the exact values.
 */
import { num } from '../tools/format.js';

export { num };

export type Obj = Record<string, unknown>;

/** A plain object, or null (reading analysis data defensively). */
export const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);

/** An array of objects (anything else: none). */
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => obj(x) ?? {}) : []);

/** A count: "42", never "42.00" ("n/a" when missing). */
export function int(v: unknown): string {
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return num(v, 2);
}

/** A number with `digits` decimals, or without any when it is a whole number (398 days, 12.5 days). */
export function whole(v: unknown, digits = 1): string {
  return typeof v === 'number' && Number.isInteger(v) ? String(v) : num(v, digits);
}

/** "12.34 %" (the value is already in percent). */
export function pct(v: unknown, digits = 2): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)} %` : 'n/a';
}

/** A fraction shown in percent: 0.0123 → "1.23 %". */
export function fracPct(v: unknown, digits = 2): string {
  return typeof v === 'number' && Number.isFinite(v) ? pct(100 * v, digits) : 'n/a';
}

/** A table cell: integers as integers, other numbers with 3 decimals, objects as JSON. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : num(v, 3);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * An epoch-ms time (or an ISO string) as ISO-8601 UTC, as short as it is exact:
 * "2024-01-05T13:00Z", "2024-01-05T13:00:30Z" or with milliseconds (`toSeconds`: never,
 * for the creation times of listings).
 */
export function isoTime(v: unknown, toSeconds = false): string {
  if (typeof v === 'string') return Number.isFinite(Date.parse(v)) ? isoTime(Date.parse(v), toSeconds) : v;
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'n/a';
  const s = new Date(toSeconds ? Math.floor(v / 1000) * 1000 : v).toISOString();
  if (s.endsWith(':00.000Z')) return `${s.slice(0, 16)}Z`;
  if (s.endsWith('.000Z')) return `${s.slice(0, 19)}Z`;
  return s;
}

const NUMERIC = /^[-+]?(\d[\d,]*(\.\d+)?([eE][-+]?\d+)?|n\/a|-)( %)?$/;

/**
 * Aligned columns separated by two spaces: a column whose cells all look like numbers is
 * right-aligned, others left-aligned. `indent` prefixes every line. A last (text) column
 * that would pass `width` wraps, its continuation lines starting under it.
 */
export function columns(head: readonly string[], rows: readonly (readonly string[])[], indent = '  ', width = 100): string[] {
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const right = head.map((_, k) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[k] ?? '')));
  const last = head.length - 1;
  const lastAt = indent.length + w.slice(0, last).reduce((a, b) => a + b + 2, 0);
  const line = (r: readonly string[]): string[] => {
    const text = `${indent}${r.map((c, k) => (right[k] ? (c ?? '').padStart(w[k]) : (c ?? '').padEnd(w[k]))).join('  ')}`.trimEnd();
    if (text.length <= width || right[last] || width - lastAt < 20) return [text];
    return wrap(r[last] ?? '', text.slice(0, lastAt), ' '.repeat(lastAt), width);
  };
  return [...line(head), ...rows.flatMap(line)];
}

export type Pair = readonly [label: string, value: string];

/**
 * Label/value pairs in `cols` side-by-side columns (each label padded to the longest in
 * its column), filled row by row; pairs whose value is null are left out.
 */
export function pairs(list: readonly (Pair | null)[], cols = 2, indent = '  '): string[] {
  const items = list.filter((p): p is Pair => p !== null);
  const rows: Pair[][] = [];
  for (let i = 0; i < items.length; i += cols) rows.push(items.slice(i, i + cols));
  const labelW = Array.from({ length: cols }, (_, c) => Math.max(0, ...rows.map((r) => r[c]?.[0].length ?? 0)));
  const cellW = Array.from({ length: cols }, (_, c) => Math.max(0, ...rows.map((r) => (r[c] ? labelW[c] + 2 + r[c][1].length : 0))));
  return rows.map((r) => `${indent}${r.map(([l, v], c) => `${l.padEnd(labelW[c])}  ${v}`.padEnd(cellW[c])).join('    ')}`.trimEnd());
}

/** A section: its title, then its lines (nothing when it has none). */
export function section(title: string, lines: readonly string[]): string[] {
  return lines.length ? ['', title, ...lines] : [];
}

/** Words wrapped at `width` columns: the first line after `indent`, the others after `next`. */
export function wrap(text: string, indent = '', next = indent, width = 100): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const lead = lines.length === 0 ? indent : next;
    if (line.length > lead.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = next + word;
    } else line = line.length > lead.length ? `${line} ${word}` : lead + word;
  }
  if (line.trim()) lines.push(line);
  return lines;
}
