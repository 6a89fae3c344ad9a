import { assertSameLength } from './util.js';

/**
 * On-Balance Volume (Joe Granville): a running total that adds the bar's volume when the
 * close rises, subtracts it when the close falls and ignores it when unchanged. Traders
 * watch it for confirmation (OBV making new highs with price) or divergence (price up,
 * OBV flat: the move lacks volume). Only its changes matter, not its level.
 *
 * Convention (Tulip `obv`; trading-signals `OBV` with interval 2 from bar 1 on):
 * OBV[0] = 0, OBV[t] = OBV[t−1] + sign(close[t] − close[t−1])·volume[t]. No warm-up.
 * Never rounded (sums of integer volumes below 2^53 are exact).
 */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  assertSameLength({ close, volume });
  const n = close.length;
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 1; i < n; i++) {
    const cur = close[i];
    const prev = close[i - 1];
    if (cur > prev) total += volume[i];
    else if (cur < prev) total -= volume[i];
    out[i] = total;
  }
  return out;
}
