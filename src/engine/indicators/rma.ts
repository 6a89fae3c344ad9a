import { assertPeriod, nanArray, skipLeadingNaNs } from './util.js';

/**
 * Wilder's moving average (RMA, SMMA, "Wilder's smoothing"): an exponential average with
 * alpha = 1 / period, i.e. slower than an EMA of the same period (an RMA of N behaves like
 * an EMA of 2N − 1). J. Welles Wilder used it for RSI, ATR and ADX.
 *
 * Convention (Wilder 1978; Tulip `wilders`; trading-signals `WSMA`): seed = simple mean of
 * the first `period` values, then avg[t] = (avg[t−1]·(period − 1) + x[t]) / period.
 * First value at index period − 1; earlier outputs are NaN. Leading NaNs in the input are
 * skipped (the seed window starts at the first non-NaN value); a later NaN propagates.
 * Never rounded.
 *
 * Note: trading-signals' class named `RMA` seeds with the first value; its `WSMA` is this
 * indicator and is the oracle in the tests.
 */
export function rma(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  return skipLeadingNaNs(values, (tail) => rmaKernel(tail, period));
}

function rmaKernel(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = nanArray(n);
  if (n < period) return out;
  let sum = 0;
  for (let i = 0; i < period; i++) sum += values[i];
  let avg = sum / period;
  out[period - 1] = avg;
  const keep = period - 1;
  for (let i = period; i < n; i++) {
    avg = (avg * keep + values[i]) / period;
    out[i] = avg;
  }
  return out;
}
