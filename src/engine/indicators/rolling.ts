import { assertPeriod } from './util.js';

/**
 * Rolling maximum / minimum over the last `period` values (the current one included), the
 * building blocks of channel and range indicators (Donchian, stochastic): "highest high /
 * lowest low of the last N bars".
 *
 * Warm-up: out[i] is NaN for i < period − 1. A window that contains a NaN yields NaN (as
 * pandas' `rolling(period).max()` with the default min_periods), so leading NaNs of another
 * indicator's output simply lengthen the warm-up. Values are copied, never rounded.
 *
 * Algorithm (van Herk 1992; Gil & Werman 1993), O(n) with about three comparisons per
 * value and no data-dependent branches: cut the series into blocks of `period` values;
 * the window ending at i is the suffix of one block (from i − period + 1 to that block's
 * end) plus the prefix of the next block (up to i). The running prefix is kept in a
 * scalar, and a block's suffix extremes are computed, into a `period`-sized buffer, as
 * soon as its last value is known — so nothing after bar i is ever read. A monotonic
 * deque is also O(n) but measured about 2× slower here (branch mispredictions on noisy
 * prices). Since max/min are exact, results are bit-identical to a brute-force scan.
 */
export function rollingMax(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const n = values.length;
  const out = new Float64Array(n);
  const suffix = new Float64Array(period);
  let prefix = NaN;
  let pos = 0; // i mod period
  for (let i = 0; i < n; i++) {
    const v = values[i];
    prefix = pos === 0 ? v : Math.max(prefix, v);
    if (pos === period - 1) {
      // block complete: suffix[t] = max(values[block start + t .. i])
      let m = v;
      suffix[period - 1] = m;
      for (let t = period - 2, j = i - 1; t >= 0; t--, j--) {
        m = Math.max(m, values[j]);
        suffix[t] = m;
      }
      pos = 0;
    } else {
      pos++;
    }
    // now pos = (i + 1) mod period = (i − period + 1) mod period: the window's start in its block
    out[i] = i >= period - 1 ? Math.max(suffix[pos], prefix) : NaN;
  }
  return out;
}

/** Rolling minimum; see {@link rollingMax}. (Written out twice so each loop stays monomorphic.) */
export function rollingMin(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const n = values.length;
  const out = new Float64Array(n);
  const suffix = new Float64Array(period);
  let prefix = NaN;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    prefix = pos === 0 ? v : Math.min(prefix, v);
    if (pos === period - 1) {
      let m = v;
      suffix[period - 1] = m;
      for (let t = period - 2, j = i - 1; t >= 0; t--, j--) {
        m = Math.min(m, values[j]);
        suffix[t] = m;
      }
      pos = 0;
    } else {
      pos++;
    }
    out[i] = i >= period - 1 ? Math.min(suffix[pos], prefix) : NaN;
  }
  return out;
}
