import { lowerBound } from '../data/candles.js';
import { InputError } from '../errors.js';

/**
 * Window lengths for walk-forward splits: a number of bars, or a calendar duration string.
 * Units: `min` minutes, `h` hours, `d` days, `w` weeks (fixed lengths in ms), `M` calendar
 * months, `y` calendar years (UTC, day clamped to the month's end: Jan 31 + 1M = Feb 28/29).
 * A lower-case `m` is rejected as ambiguous (minutes or months?). A string of digits, or a
 * number, means bars.
 */
export type WindowLength = number | string;

export type Duration =
  | { readonly kind: 'bars'; readonly bars: number; readonly label: string }
  | { readonly kind: 'ms'; readonly ms: number; readonly label: string }
  | { readonly kind: 'months'; readonly months: number; readonly label: string };

const UNIT_MS = { min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export function parseDuration(value: WindowLength, field: string): Duration {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`${field}: bars must be an integer >= 1, got ${value}`);
    return { kind: 'bars', bars: value, label: `${value} bars` };
  }
  const s = value.trim();
  if (/^\d+$/.test(s)) return parseDuration(Number(s), field);
  const m = /^(\d+(?:\.\d+)?)\s*(min|h|d|w|M|y|m)$/.exec(s);
  if (!m) throw new InputError(`${field}: cannot parse "${value}"; expected bars (e.g. 500) or a duration like 90d, 12w, 6M, 1y, 4h, 30min`);
  const amount = Number(m[1]);
  const unit = m[2];
  if (unit === 'm') throw new InputError(`${field}: "${value}" is ambiguous; use "${m[1]}min" for minutes or "${m[1]}M" for months`);
  if (!(amount > 0)) throw new InputError(`${field}: duration must be > 0, got "${value}"`);
  if (unit === 'M' || unit === 'y') {
    if (!Number.isInteger(amount)) throw new InputError(`${field}: months and years must be whole numbers, got "${value}"`);
    return { kind: 'months', months: unit === 'y' ? amount * 12 : amount, label: s };
  }
  return { kind: 'ms', ms: amount * UNIT_MS[unit as keyof typeof UNIT_MS], label: s };
}

/** t (epoch ms) plus `months` calendar months in UTC, clamping the day to the month's length. */
export function addMonthsUtc(t: number, months: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + months;
  const msOfDay = t - Date.UTC(y, d.getUTCMonth(), d.getUTCDate());
  const lastDay = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return Date.UTC(y, mo, Math.min(d.getUTCDate(), lastDay)) + msOfDay;
}

/** Time at which a window of length `len` starting at time t ends (exclusive); null for bars. */
export function endTime(t: number, len: Duration): number | null {
  if (len.kind === 'ms') return t + len.ms;
  if (len.kind === 'months') return addMonthsUtc(t, len.months);
  return null;
}

/** First bar index at or after the end of a window of length `len` starting at bar `from` (may be ≥ n). */
export function advance(time: Float64Array, from: number, len: Duration): number {
  if (len.kind === 'bars') return from + len.bars;
  return lowerBound(time, endTime(time[from], len) as number);
}

/** First bar index of a window of length `len` that ends (exclusive) at bar `to`. */
export function retreat(time: Float64Array, to: number, len: Duration): number {
  if (len.kind === 'bars') return Math.max(0, to - len.bars);
  const t = time[to];
  const start = len.kind === 'ms' ? t - len.ms : addMonthsUtc(t, -len.months);
  return lowerBound(time, start);
}
