import { assertPeriod, assertSameLength } from './util.js';

/**
 * Average True Range (Wilder 1978): the typical bar-to-bar price excursion, in price
 * units. Traders size positions and place stops in multiples of ATR (e.g. a 2·ATR stop);
 * it says how far price moves, not which way.
 *
 * Convention (Tulip `atr`, trading-signals `ATR`): Wilder smoothing ({@link rma}) of the
 * true range ({@link trueRange}), with TR[0] = high[0] − low[0] counted in the seed. So the
 * seed is the simple mean of TR[0..period−1] and the first value is at index period − 1
 * (TA-Lib instead skips TR[0] and starts at index `period`; the two converge). Inputs are
 * assumed NaN-free (a NaN propagates). Never rounded.
 *
 * Computed in one fused pass, bit-identical to `rma(trueRange(high, low, close), period)`
 * (a test checks this) but without the intermediate array: about 2× faster on 1e6 bars.
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  assertSameLength({ high, low, close });
  const n = high.length;
  const out = new Float64Array(n);
  out.fill(NaN, 0, Math.min(n, period - 1));
  const keep = period - 1;
  let sum = 0;
  let avg = 0;
  for (let i = 0; i < n; i++) {
    const h = high[i];
    const l = low[i];
    let tr = h - l;
    if (i > 0) {
      const pc = close[i - 1];
      tr = Math.max(tr, Math.abs(h - pc), Math.abs(l - pc));
    }
    if (i < keep) {
      sum += tr;
    } else if (i === keep) {
      sum += tr;
      avg = sum / period;
      out[i] = avg;
    } else {
      avg = (avg * keep + tr) / period;
      out[i] = avg;
    }
  }
  return out;
}
