import { assertPeriod } from './util.js';

/**
 * Simple moving average: the arithmetic mean of the last `period` values. It smooths noise
 * and lags price by about period/2 bars; a fast SMA crossing a slow one is the classic
 * trend-following signal.
 *
 * Output[i] is NaN for i < period − 1 (warm-up) and never rounded. The running sum uses
 * the same compensated (Kahan) add/remove scheme as pandas' `rolling(n).mean()`, including
 * its rule that a window of identical values yields exactly that value, so crossovers
 * decided on near-ties match the reference engine (backtesting.py) bar for bar. The warm-up
 * and the steady state are separate loops, so the hot loop has no bounds branch.
 */
export function sma(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const n = values.length;
  const out = new Float64Array(n);
  const warm = Math.min(n, period - 1);
  for (let i = 0; i < warm; i++) out[i] = NaN;
  let sum = 0;
  let compAdd = 0;
  let compRemove = 0;
  let sameRun = 0;
  let prev = NaN;
  const head = Math.min(n, period);
  for (let i = 0; i < head; i++) {
    // pandas add_mean
    const v = values[i];
    const y = v - compAdd;
    const t = sum + y;
    compAdd = t - sum - y;
    sum = t;
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
  }
  if (n >= period) out[period - 1] = sameRun >= period ? prev : sum / period;
  for (let i = period; i < n; i++) {
    // pandas remove_mean for the value leaving the window, then add_mean for the new one
    const yr = -values[i - period] - compRemove;
    const tr = sum + yr;
    compRemove = tr - sum - yr;
    sum = tr;
    const v = values[i];
    const y = v - compAdd;
    const t = sum + y;
    compAdd = t - sum - y;
    sum = t;
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
    out[i] = sameRun >= period ? v : sum / period;
  }
  return out;
}
