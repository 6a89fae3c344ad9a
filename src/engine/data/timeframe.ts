/**
 * Timeframes (bar sizes): parsing, canonical names, UTC bucket alignment and inference
 * from bar spacing.
 *
 * Accepted: 1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w 1M. `m` is minutes and `M` months (the
 * only case-sensitive letter); `1H`, `1D`, `1W`, `1min`, `1mo`, `1month` and equivalent
 * spellings such as `60m` or `24h` are normalised to the canonical id.
 * Buckets: fixed sizes are aligned to multiples of the size since the UTC epoch (so 4h bars
 * start at 00, 04, … UTC), weeks start on Monday 00:00 UTC, months on the 1st 00:00 UTC.
 */
import { DATA_ERROR_CODES, DataError, quoteValue } from './errors.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_WEEK, monthIndexOf, monthStart } from './iso-time.js';

export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w', '1M'] as const;
export type TimeframeId = (typeof TIMEFRAMES)[number];

export const TIMEFRAME_UNITS = { m: 'minute', h: 'hour', d: 'day', w: 'week', M: 'month' } as const;
export type TimeframeUnit = (typeof TIMEFRAME_UNITS)[keyof typeof TIMEFRAME_UNITS];

/** Mean Gregorian month (365.2425 d / 12): the nominal length of `1M`, used only for ratios. */
export const MS_PER_MEAN_MONTH = (365.2425 * MS_PER_DAY) / 12;

export interface Timeframe {
  readonly id: TimeframeId;
  readonly unit: TimeframeUnit;
  readonly count: number;
  /** Bar length in ms; for `1M` the mean Gregorian month (buckets follow the calendar). */
  readonly ms: number;
  /** True for calendar-sized bars (`1M`), whose real length varies (28–31 days). */
  readonly calendar: boolean;
}

const UNIT_MS = { minute: MS_PER_MINUTE, hour: MS_PER_HOUR, day: MS_PER_DAY, week: MS_PER_WEEK, month: MS_PER_MEAN_MONTH } as const;

const BY_ID: ReadonlyMap<string, Timeframe> = new Map(
  TIMEFRAMES.map((id): [string, Timeframe] => {
    const unit = TIMEFRAME_UNITS[id[id.length - 1] as keyof typeof TIMEFRAME_UNITS];
    const count = Number(id.slice(0, -1));
    return [id, Object.freeze({ id, unit, count, ms: count * UNIT_MS[unit], calendar: unit === 'month' })];
  }),
);

const BY_MS: ReadonlyMap<number, Timeframe> = new Map([...BY_ID.values()].filter((t) => !t.calendar).map((t) => [t.ms, t]));

/** Unit spellings accepted after the count (`m` = minute, `M` = month). */
const UNIT_ALIASES: ReadonlyMap<string, TimeframeUnit> = new Map(
  Object.entries({
    m: 'minute', min: 'minute', mins: 'minute', minute: 'minute', minutes: 'minute',
    h: 'hour', H: 'hour', hr: 'hour', hour: 'hour', hours: 'hour',
    d: 'day', D: 'day', day: 'day', days: 'day',
    w: 'week', W: 'week', wk: 'week', week: 'week', weeks: 'week',
    M: 'month', mo: 'month', mon: 'month', month: 'month', months: 'month',
  } as const),
);

const ACCEPTED = `one of ${TIMEFRAMES.join(', ')} (m = minutes, h = hours, d = days, w = weeks, M = months)`;

function invalid(value: unknown, why: string): DataError {
  return new DataError(DATA_ERROR_CODES.invalidTimeframe, 'timeframe', String(value), `invalid timeframe ${quoteValue(value)}: ${why}; expected ${ACCEPTED}`);
}

/** Parses a timeframe; throws `DataError` (code `invalid_timeframe`) naming the value and the accepted forms. */
export function parseTimeframe(input: string): Timeframe {
  if (typeof input !== 'string') throw invalid(input, 'not a string');
  const s = input.trim();
  const exact = BY_ID.get(s);
  if (exact) return exact;
  const m = /^(\d{1,6})\s*([A-Za-z]+)$/.exec(s);
  if (!m) throw invalid(input, 'not a count followed by a unit');
  const count = Number(m[1]);
  const unit = UNIT_ALIASES.get(m[2]) ?? (m[2].length > 1 ? UNIT_ALIASES.get(m[2].toLowerCase()) : undefined);
  if (unit === undefined) throw invalid(input, `unknown unit "${m[2]}"`);
  if (unit === 'month') {
    if (count === 1) return BY_ID.get('1M') as Timeframe;
    throw invalid(input, 'only 1M is supported for months');
  }
  const found = BY_MS.get(count * UNIT_MS[unit]);
  if (found) return found;
  throw invalid(input, 'unsupported bar size');
}

/** The canonical id (`'1h'`) of a timeframe string, or throws like `parseTimeframe`. */
export function normalizeTimeframe(input: string): TimeframeId {
  return parseTimeframe(input).id;
}

export function isTimeframe(input: string): boolean {
  try {
    parseTimeframe(input);
    return true;
  } catch {
    return false;
  }
}

/** Canonical id for a unit and count, e.g. formatTimeframe('hour', 4) → '4h'; throws when unsupported. */
export function formatTimeframe(unit: TimeframeUnit, count: number): TimeframeId {
  const letter = (Object.keys(TIMEFRAME_UNITS) as (keyof typeof TIMEFRAME_UNITS)[]).find((k) => TIMEFRAME_UNITS[k] === unit);
  return parseTimeframe(`${count}${letter ?? unit}`).id;
}

/** Monday 1970-01-05 00:00 UTC (the epoch was a Thursday). */
const FIRST_MONDAY = 4 * MS_PER_DAY;

/** Start (epoch ms) of the UTC bucket of this timeframe that contains `t`. */
export function bucketStart(t: number, tf: Timeframe): number {
  if (tf.unit === 'month') return monthStart(monthIndexOf(t));
  if (tf.unit === 'week') return Math.floor((t - FIRST_MONDAY) / MS_PER_WEEK) * MS_PER_WEEK + FIRST_MONDAY;
  return Math.floor(t / tf.ms) * tf.ms;
}

/** Start of the bucket after the one starting at `start` (a value returned by `bucketStart`). */
export function nextBucketStart(start: number, tf: Timeframe): number {
  if (tf.unit === 'month') return monthStart(monthIndexOf(start) + 1);
  return start + tf.ms;
}

/** Lower median of the steps between consecutive times (NaN when fewer than 2 bars); O(n) quickselect. */
export function medianStep(time: Float64Array): number {
  if (time.length < 2) return NaN;
  const a = new Float64Array(time.length - 1);
  for (let i = 1; i < time.length; i++) a[i - 1] = time[i] - time[i - 1];
  const k = (a.length - 1) >>> 1;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    // Hoare partition around the middle element; equal keys stop both scans, so runs of
    // identical steps (the normal case) split evenly.
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The timeframe whose size equals the median spacing of `time` (e.g. daily bars with
 * weekend gaps still give '1d'); a median of 28–31 whole days gives '1M'. Null when there
 * are fewer than two bars or the median matches no timeframe (irregular data).
 */
export function inferTimeframe(time: Float64Array): TimeframeId | null {
  const step = medianStep(time);
  if (!(step > 0)) return null;
  const fixed = BY_MS.get(step);
  if (fixed) return fixed.id;
  if (step % MS_PER_DAY === 0 && step >= 28 * MS_PER_DAY && step <= 31 * MS_PER_DAY) return '1M';
  return null;
}

/** Human-readable span for messages, e.g. 90_000_000 → "1d 1h", 2_700_000 → "45m", 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [['d', MS_PER_DAY], ['h', MS_PER_HOUR], ['m', MS_PER_MINUTE]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest / 1000}s`);
  return sign + parts.join(' ');
}
