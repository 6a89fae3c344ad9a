import { assertPeriod } from './util.js';

/**
 * Simple moving average: the arithmetic mean of the last `period` values. It smooths noise
 * and lags price by about period/2 bars; a fast SMA crossing a slow one is the classic
 * trend-following signal.
 *
 * Output[i] is NaN for i < period − 1 (warm-up) and never rounded. The running sum uses
 * the same compensated (Kahan) add/remove scheme as pandas' `rolling(n).mean()`, including
 * its rule that a window of identical values yields exactly that value, so crossovers
 * decided on near-ties match the reference engine (backtesting.py) bar for bar.
 */
export function sma(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  let sum = 0;
  let compAdd = 0;
  let compRemove = 0;
  let sameRun = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    if (i >= period) {
      // remove the value leaving the window (pandas: remove_mean)
      const y = -values[i - period] - compRemove;
      const t = sum + y;
      compRemove = t - sum - y;
      sum = t;
    }
    // add the new value (pandas: add_mean)
    const v = values[i];
    const y = v - compAdd;
    const t = sum + y;
    compAdd = t - sum - y;
    sum = t;
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
    if (i >= period - 1) out[i] = sameRun >= period ? v : sum / period;
  }
  return out;
}
