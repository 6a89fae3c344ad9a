import { assertSameLength } from './util.js';

/**
 * True range (Wilder 1978): the bar's full price excursion including any gap from the
 * previous close, max(high − low, |high − prevClose|, |low − prevClose|). It is the raw
 * volatility measure behind ATR, Keltner Channels and ADX.
 *
 * Convention (Tulip `tr`, trading-signals `TR`): TR[0] = high[0] − low[0], since bar 0 has
 * no previous close. No warm-up otherwise. Never rounded.
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  assertSameLength({ high, low, close });
  const n = high.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  out[0] = high[0] - low[0];
  for (let i = 1; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const pc = close[i - 1];
    out[i] = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
  }
  return out;
}
