import { atr } from './atr.js';
import { ema } from './ema.js';
import { assertMultiplier, assertPeriod, assertSameLength } from './util.js';

export interface KeltnerChannel {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

/** Default ATR period (StockCharts, TradingView and trading-signals all use 10). */
export const KELTNER_DEFAULT_ATR_PERIOD = 10;

/**
 * Keltner Channels (Chester Keltner; modern form by Linda Raschke): an EMA of the close
 * with bands a multiple of ATR above and below. Like Bollinger Bands but the width follows
 * the average bar range rather than the close's standard deviation, so it reacts less to
 * single spikes; closes outside the channel mark strong trends or breakouts.
 *
 * Convention (StockCharts; trading-signals `KeltnerChannels`): middle = {@link ema}(period)
 * of close (SMA-seeded), upper/lower = middle ± multiplier·{@link atr}(atrPeriod), with
 * atrPeriod defaulting to 10. All three lines start together, at index
 * max(period, atrPeriod) − 1 (the middle line is NaN until the bands exist, as in
 * trading-signals), NaN before. Never rounded.
 */
export function keltner(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  multiplier: number,
  atrPeriod: number = KELTNER_DEFAULT_ATR_PERIOD,
): KeltnerChannel {
  assertPeriod(period, 'period');
  assertMultiplier(multiplier, 'multiplier');
  assertPeriod(atrPeriod, 'atrPeriod');
  assertSameLength({ high, low, close });
  const middle = ema(close, period);
  const range = atr(high, low, close, atrPeriod);
  const n = close.length;
  middle.fill(NaN, 0, Math.min(n, atrPeriod - 1));
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const width = multiplier * range[i];
    upper[i] = middle[i] + width;
    lower[i] = middle[i] - width;
  }
  return { middle, upper, lower };
}
