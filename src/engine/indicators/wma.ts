import { assertPeriod, nanArray, skipLeadingNaNs } from './util.js';

/**
 * Linearly weighted moving average: weights 1, 2, …, period from the oldest to the newest
 * value, divided by period·(period + 1)/2. It lags less than an SMA of the same period
 * because the latest bars count most (it is the building block of the Hull MA).
 *
 * Warm-up: first value at index period − 1, NaN before. Leading NaNs in the input are
 * skipped; a window containing a later NaN yields NaN. Never rounded.
 *
 * O(n): the weighted sum is updated as W' = W − S + period·x_new (S = plain window sum).
 * To keep rounding error from accumulating over long series, both sums are recomputed
 * from scratch once every max(period, 128) bars (at most about 2n extra operations). The schedule
 * depends only on the bar index (and NaN positions), so results are prefix-invariant.
 * Matches trading-signals' `WMA` (weights 1..period, newest heaviest) and Tulip `wma`.
 */
export function wma(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  return skipLeadingNaNs(values, (tail) => wmaKernel(tail, period));
}

function wmaKernel(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = nanArray(n);
  const denom = (period * (period + 1)) / 2;
  let sum = 0; // Σ x over the window
  let weighted = 0; // Σ w·x over the window
  // Re-sum from scratch every `every` bars: often enough that rounding cannot build up
  // (≤ 128 incremental steps ≈ 1e-14 relative), rarely enough to cost < 1 extra pass.
  const every = Math.max(period, 128);
  let sinceRecompute = every; // forces a full computation at the first complete window
  let lastNaN = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) lastNaN = i;
    if (i < period - 1) continue;
    if (i - lastNaN < period) {
      sinceRecompute = every; // state is stale: rebuild once the window is clean
      continue;
    }
    if (sinceRecompute >= every) {
      sum = 0;
      weighted = 0;
      const start = i - period + 1;
      for (let j = 0; j < period; j++) {
        const x = values[start + j];
        sum += x;
        weighted += x * (j + 1);
      }
      sinceRecompute = 1;
    } else {
      weighted = weighted - sum + period * v;
      sum = sum - values[i - period] + v;
      sinceRecompute++;
    }
    out[i] = weighted / denom;
  }
  return out;
}
