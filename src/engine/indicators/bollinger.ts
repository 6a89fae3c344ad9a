import { rollingStd } from './rolling-std.js';
import { sma } from './sma.js';
import { assertMultiplier, assertPeriod } from './util.js';

export interface BollingerBands {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

/**
 * Bollinger Bands (John Bollinger): a moving average with bands k standard deviations
 * above and below. The bands widen in volatile markets and squeeze in quiet ones; closes
 * outside a band are read either as breakouts or as stretched moves likely to revert.
 *
 * Convention (Bollinger; Tulip `bbands`; trading-signals `BollingerBands`): middle = SMA
 * (the pandas-exact {@link sma}), std = POPULATION standard deviation (ddof 0) of the same
 * window, upper/lower = middle ± k·std. First value at index period − 1, NaN before. A
 * window of identical closes gives std exactly 0 (all three bands equal). Never rounded.
 */
export function bollinger(close: Float64Array, period: number, k: number): BollingerBands {
  assertPeriod(period, 'period');
  assertMultiplier(k, 'k');
  const middle = sma(close, period);
  const std = rollingStd(close, period, 0);
  const n = close.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const width = k * std[i];
    upper[i] = middle[i] + width;
    lower[i] = middle[i] - width;
  }
  return { middle, upper, lower };
}
