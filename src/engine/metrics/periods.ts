/**
 * Calendar rules for annualisation (EXECUTION.md §3–§4): how many return periods make a
 * year, and at which calendar boundary equity is sampled. Never a hard-coded √252.
 */

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Days per calendar year for CAGR (Julian year). */
export const DAYS_PER_YEAR = 365.25;

/** Where period returns are sampled: last equity of each UTC day, week (Mon–Sun), month, year. */
export type Sampling = 'D' | 'W' | 'M' | 'Y';

export interface PeriodRule {
  /** Periods per year A. */
  readonly periodsPerYear: number;
  readonly sampling: Sampling;
  /** Median bar spacing over the last 100 timestamps (ms; NaN with < 2 bars). */
  readonly spacingMs: number;
  /** Share of bars on Saturday/Sunday (UTC). */
  readonly weekendShare: number;
}

/**
 * More than 60 % of the 2/7 weekend share of a 7-day calendar (≈ 17.1 %) means the market
 * trades on weekends (24/7 → 365 periods), else 252. backtesting.py 0.6.6 uses this rule.
 */
export const WEEKEND_THRESHOLD = (2 / 7) * 0.6;

/** Day of the week of an epoch-ms time in UTC, 0 = Sunday … 6 = Saturday. */
export function utcWeekday(t: number): number {
  const d = Math.floor(t / DAY_MS);
  return (((d + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function weekendShare(time: Float64Array): number {
  const n = time.length;
  if (n === 0) return 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const wd = utcWeekday(time[i]);
    if (wd === 0 || wd === 6) k++;
  }
  return k / n;
}

/** Median spacing of the last `last` timestamps (pandas `Series.diff().median()`). */
export function medianSpacing(time: Float64Array, last = 100): number {
  const n = time.length;
  const from = Math.max(0, n - last);
  const m = n - from - 1;
  if (m < 1) return NaN;
  const d = new Float64Array(m);
  for (let i = 0; i < m; i++) d[i] = time[from + i + 1] - time[from + i];
  d.sort();
  const h = m >>> 1;
  return m % 2 === 1 ? d[h] : (d[h - 1] + d[h]) / 2;
}

/**
 * Periods per year and sampling.
 * - `backtesting.py`: whole days of the median spacing (pandas `Timedelta.days`, a floor):
 *   7 → 52 weekly, 31 → 12 monthly, 365 → 1 yearly; otherwise the weekend rule, daily.
 * - `standard` (default profile): same idea with tolerant ranges (6–8 days weekly, 28–31
 *   monthly, 365–366 yearly) so e.g. a 30.5-day median still counts as monthly; equity is
 *   always sampled at UTC day ends (§3), which for coarser bars is one sample per bar.
 */
const calendarMemo = new WeakMap<Float64Array, { readonly spacingMs: number; readonly share: number }>();

/** Median spacing and weekend share, memoised per `time` array (candles are immutable). */
function calendarOf(time: Float64Array): { readonly spacingMs: number; readonly share: number } {
  let v = calendarMemo.get(time);
  if (!v) {
    v = { spacingMs: medianSpacing(time), share: weekendShare(time) };
    calendarMemo.set(time, v);
  }
  return v;
}

export function detectPeriods(time: Float64Array, flavour: 'standard' | 'backtesting.py'): PeriodRule {
  const { spacingMs, share } = calendarOf(time);
  const daily = share > WEEKEND_THRESHOLD ? 365 : 252;
  if (flavour === 'backtesting.py') {
    const days = Math.floor(spacingMs / DAY_MS);
    if (days === 7) return { periodsPerYear: 52, sampling: 'W', spacingMs, weekendShare: share };
    if (days === 31) return { periodsPerYear: 12, sampling: 'M', spacingMs, weekendShare: share };
    if (days === 365) return { periodsPerYear: 1, sampling: 'Y', spacingMs, weekendShare: share };
    return { periodsPerYear: daily, sampling: 'D', spacingMs, weekendShare: share };
  }
  const days = spacingMs / DAY_MS;
  const a = days >= 6 && days <= 8 ? 52 : days >= 28 && days <= 31 ? 12 : days >= 365 && days <= 366 ? 1 : daily;
  return { periodsPerYear: a, sampling: 'D', spacingMs, weekendShare: share };
}

/**
 * The data's time resolution for rounding durations up (pandas `Timedelta.resolution_string`
 * of the median spacing): the largest of day/hour/minute/second/millisecond that divides it.
 */
export function resolutionMs(spacingMs: number): number {
  if (!(spacingMs > 0)) return DAY_MS;
  for (const unit of [DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS]) if (spacingMs % unit === 0) return unit;
  return 1;
}
