import { DAY_MS, type Sampling } from './periods.js';

/**
 * Month index (year·12 + month−1) of a day number since 1970-01-01, by Howard Hinnant's
 * `civil_from_days` — no Date objects, so resampling a million bars allocates nothing.
 */
export function monthIndexOfDay(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9; // 1..12
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + (month - 1);
}

/** Calendar bucket of a UTC day number. Weeks run Monday–Sunday (pandas 'W' = 'W-SUN'). */
function bucketOfDay(day: number, sampling: Sampling): number {
  switch (sampling) {
    case 'D':
      return day;
    case 'W':
      return Math.floor((day - 4) / 7); // day 4 = Monday 1970-01-05
    case 'M':
      return monthIndexOfDay(day);
    case 'Y':
      return Math.floor(monthIndexOfDay(day) / 12);
  }
}

const endMemo = new WeakMap<Float64Array, Partial<Record<Sampling, Int32Array>>>();

/**
 * Index of the last bar of each calendar period that has bars, ascending. Depends only on
 * the timestamps, so it is memoised per `time` array (candles are immutable).
 */
export function periodEndIndices(time: Float64Array, sampling: Sampling): Int32Array {
  let memo = endMemo.get(time);
  const hit = memo?.[sampling];
  if (hit) return hit;
  const n = time.length;
  const tmp = new Int32Array(n);
  let k = 0;
  let lastDay = NaN;
  let lastBucket = NaN;
  for (let i = 0; i < n; i++) {
    const day = Math.floor(time[i] / DAY_MS);
    const bucket = day === lastDay ? lastBucket : bucketOfDay(day, sampling);
    if (bucket === lastBucket) tmp[k - 1] = i;
    else tmp[k++] = i;
    lastDay = day;
    lastBucket = bucket;
  }
  const out = tmp.slice(0, k);
  if (!memo) {
    memo = {};
    endMemo.set(time, memo);
  }
  memo[sampling] = out;
  return out;
}

/**
 * Last value of each calendar period that has bars (pandas `resample(freq).last().dropna()`;
 * empty periods are dropped).
 */
export function periodEndValues(time: Float64Array, values: Float64Array, sampling: Sampling): Float64Array {
  const idx = periodEndIndices(time, sampling);
  const out = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = values[idx[j]];
  return out;
}

/** Simple returns v[i]/v[i−1] − 1 (length m−1); 0/0 gives NaN, like pandas pct_change. */
export function simpleReturns(v: Float64Array): Float64Array {
  const m = v.length;
  const r = new Float64Array(Math.max(0, m - 1));
  for (let i = 1; i < m; i++) r[i - 1] = v[i] / v[i - 1] - 1;
  return r;
}

/**
 * `simpleReturns(periodEndValues(time, values, sampling))` in one pass, no intermediate
 * array. With `scratch`, the returns are written into its buffer (grown as needed) and the
 * result is a view of it, valid until the buffer's next use.
 */
export function periodReturns(time: Float64Array, values: Float64Array, sampling: Sampling, scratch?: { buf: Float64Array }): Float64Array {
  const idx = periodEndIndices(time, sampling);
  const m = Math.max(0, idx.length - 1);
  if (scratch && scratch.buf.length < m) scratch.buf = new Float64Array(Math.max(m, 2 * scratch.buf.length));
  const r = scratch ? scratch.buf.subarray(0, m) : new Float64Array(m);
  let prev = idx.length > 0 ? values[idx[0]] : NaN;
  for (let j = 0; j < m; j++) {
    const v = values[idx[j + 1]];
    r[j] = v / prev - 1;
    prev = v;
  }
  return r;
}
