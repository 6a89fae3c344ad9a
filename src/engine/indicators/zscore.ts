import { rollingStd } from './rolling-std.js';
import { sma } from './sma.js';
import { assertPeriod, skipLeadingNaNs } from './util.js';

/**
 * Rolling z-score: how many standard deviations the current value sits above (+) or below
 * (−) its mean over the last `period` values. Mean-reversion strategies fade large |z|
 * (e.g. |z| > 2), and it normalises any series (price, spread, volume) to a common scale.
 *
 * Convention: z[t] = (x[t] − SMA(period)[t]) / std[t] with the SAMPLE standard deviation
 * (ddof 1, like pandas' `rolling(period).std()`) of the same window, which includes x[t].
 * Hence `period` must be ≥ 2. NaN when std = 0 (a window of identical values). First value
 * at index period − 1, NaN before. Leading NaNs in the input are skipped; a NaN after the
 * start makes every later value NaN (the running sum of {@link sma}). Mean = the
 * pandas-exact {@link sma}. Never rounded.
 *
 * trading-signals has no rolling z-score (its `getZScore` uses the population std), so the
 * oracle test recomputes every window with simple-statistics.
 */
export function zscore(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period', 2);
  return skipLeadingNaNs(values, (tail) => {
    const mean = sma(tail, period);
    const std = rollingStd(tail, period, 1);
    const out = new Float64Array(tail.length);
    for (let i = 0; i < tail.length; i++) {
      const s = std[i];
      out[i] = s > 0 ? (tail[i] - mean[i]) / s : NaN;
    }
    return out;
  });
}
