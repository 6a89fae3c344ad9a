import { ema } from './ema.js';
import { assertPeriod } from './util.js';

export interface Macd {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

/**
 * Moving Average Convergence/Divergence (Gerald Appel): the gap between a fast and a slow
 * EMA of price (momentum in price units), its EMA (the signal line) and their difference
 * (the histogram). MACD crossing its signal line, or the histogram changing sign, is the
 * classic momentum-shift signal; the usual periods are 12, 26 and 9.
 *
 * Convention (TA-Lib, StockCharts): macd = ema(fast) − ema(slow) with SMA-seeded EMAs
 * ({@link ema}), valid from index max(fast, slow) − 1; signal = ema(signalPeriod) of the
 * macd line seeded at the first valid macd value, so it starts at index
 * max(fast, slow) + signalPeriod − 2; histogram = macd − signal (same warm-up as signal).
 * fast ≥ slow is allowed (the sign just flips). Never rounded.
 *
 * trading-signals' `MACD` (and Tulip `macd`) seed each EMA with its first input; the
 * values converge and the oracle test maps between the two.
 */
export function macd(close: Float64Array, fast: number, slow: number, signalPeriod: number): Macd {
  assertPeriod(fast, 'fast');
  assertPeriod(slow, 'slow');
  assertPeriod(signalPeriod, 'signalPeriod');
  const fastEma = ema(close, fast);
  const slowEma = ema(close, slow);
  const n = close.length;
  const line = new Float64Array(n);
  for (let i = 0; i < n; i++) line[i] = fastEma[i] - slowEma[i];
  const signal = ema(line, signalPeriod);
  const histogram = new Float64Array(n);
  for (let i = 0; i < n; i++) histogram[i] = line[i] - signal[i];
  return { macd: line, signal, histogram };
}
