import { rollingMax, rollingMin } from './rolling.js';
import { sma } from './sma.js';
import { assertPeriod, assertSameLength, skipLeadingNaNs } from './util.js';

export interface Stochastic {
  k: Float64Array;
  d: Float64Array;
}

/**
 * Stochastic oscillator (George Lane): where the close sits inside the high–low range of
 * the last kPeriod bars, 0 (at the lowest low) to 100 (at the highest high). Above ~80 is
 * read as overbought, below ~20 as oversold; %K crossing %D is the trade trigger.
 *
 * Convention: raw %K = 100·(close − LL)/(HH − LL) over the last kPeriod bars (current bar
 * included); raw %K = 50 when HH = LL (no range: the close is mid-range by definition;
 * trading-signals returns 0 there). %K = SMA(smooth) of raw %K — smooth = 1 (the default)
 * is the fast stochastic, smooth = 3 the common "slow" one (Tulip `stoch 5 3 3`,
 * trading-signals' kSlowingPeriod). %D = SMA(dPeriod) of %K. SMAs are the pandas-exact
 * {@link sma}. Warm-up: %K first at kPeriod + smooth − 2, %D at kPeriod + smooth + dPeriod
 * − 3; NaN before. Never rounded.
 */
export function stochastic(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  kPeriod: number,
  dPeriod: number,
  smooth = 1,
): Stochastic {
  assertPeriod(kPeriod, 'kPeriod');
  assertPeriod(dPeriod, 'dPeriod');
  assertPeriod(smooth, 'smooth');
  assertSameLength({ high, low, close });
  const hh = rollingMax(high, kPeriod);
  const ll = rollingMin(low, kPeriod);
  const n = close.length;
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const range = hh[i] - ll[i];
    raw[i] = range === 0 ? 50 : ((close[i] - ll[i]) * 100) / range;
  }
  const k = smooth === 1 ? raw : skipLeadingNaNs(raw, (t) => sma(t, smooth));
  const d = skipLeadingNaNs(k, (t) => sma(t, dPeriod));
  return { k, d };
}
