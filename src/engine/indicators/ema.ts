import { assertPeriod, nanArray, skipLeadingNaNs } from './util.js';

/**
 * Exponential moving average: a moving average that weights recent values more, with
 * smoothing factor alpha = 2 / (period + 1). It reacts faster than an SMA of the same
 * period; price above a rising EMA is read as an up-trend, and EMA crossovers (fast vs
 * slow) are the basis of MACD.
 *
 * Convention (TA-Lib, StockCharts): seeded with the simple mean of the first `period`
 * values, then ema[t] = alpha·x[t] + (1 − alpha)·ema[t−1]. The first value is at index
 * period − 1; earlier outputs are NaN. Leading NaNs in the input (another indicator's
 * warm-up) are skipped: the seed window starts at the first non-NaN value. Any later NaN
 * propagates. Never rounded.
 *
 * trading-signals' `EMA` seeds with the first value instead, so the two differ early and
 * converge geometrically (factor 1 − alpha per bar); the oracle test maps between them.
 */
export function ema(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  return skipLeadingNaNs(values, (tail) => emaKernel(tail, period));
}

function emaKernel(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = nanArray(n);
  if (n < period) return out;
  let sum = 0;
  for (let i = 0; i < period; i++) sum += values[i];
  let prev = sum / period;
  out[period - 1] = prev;
  const alpha = 2 / (period + 1);
  const beta = 1 - alpha;
  for (let i = period; i < n; i++) {
    prev = values[i] * alpha + prev * beta;
    out[i] = prev;
  }
  return out;
}
