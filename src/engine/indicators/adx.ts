import { assertPeriod, assertSameLength } from './util.js';

export interface Adx {
  adx: Float64Array;
  plusDi: Float64Array;
  minusDi: Float64Array;
}

/**
 * Average Directional Index with the Directional Movement indicators (Wilder 1978).
 * +DI and −DI (0–100) measure how much of the average true range was made in the up and
 * in the down direction; ADX (0–100) is the smoothed spread between them, i.e. trend
 * STRENGTH regardless of direction: above ~25 a trend is usually considered in place,
 * below ~20 the market is ranging. +DI crossing −DI gives the direction.
 *
 * Convention (Wilder's worksheet, StockCharts; same indices as TA-Lib):
 * - for t ≥ 1, up = high[t] − high[t−1], down = low[t−1] − low[t];
 *   +DM = up if up > down and up > 0, else 0; −DM = down if down > up and down > 0, else 0
 *   (equal moves give 0 to both);
 * - TR as in {@link trueRange}, but only from bar 1 (bar 0 has no previous bar);
 * - +DM, −DM and TR are Wilder-smoothed exactly like {@link rma} (seed = mean of bars
 *   1..period, then (avg·(period − 1) + x)/period); +DI = 100·smooth(+DM)/smooth(TR),
 *   −DI likewise; first value at index `period`;
 * - DX = 100·|+DI − −DI| / (+DI + −DI); ADX = Wilder smoothing of DX, seeded with the mean
 *   of the first `period` DX values, so the first ADX is at index 2·period − 1.
 * Degenerate bars: when smooth(TR) = 0 (no range at all) both DIs are 0, and DX is 0 when
 * +DI + −DI = 0 (no directional movement means no trend). Inputs are assumed NaN-free.
 * Never rounded. One fused pass (no intermediate arrays).
 *
 * trading-signals' `ADX`/`DX` include bar 0 in the seeds (DM = 0, TR = high − low), start
 * one bar earlier, give both DMs the move on a tie and return DIs as fractions; the values
 * converge, and the oracle test compares after convergence (and away from ties).
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Adx {
  assertPeriod(period, 'period');
  assertSameLength({ high, low, close });
  const n = high.length;
  const adxOut = new Float64Array(n);
  const plusDi = new Float64Array(n);
  const minusDi = new Float64Array(n);
  const diStart = Math.min(n, period);
  const adxStart = Math.min(n, 2 * period - 1);
  plusDi.fill(NaN, 0, diStart);
  minusDi.fill(NaN, 0, diStart);
  adxOut.fill(NaN, 0, adxStart);
  const keep = period - 1;
  let trAvg = 0; // Wilder averages (sums while seeding)
  let plusAvg = 0;
  let minusAvg = 0;
  let dxAvg = 0;
  for (let i = 1; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const pc = close[i - 1];
    const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
    const up = h - high[i - 1];
    const down = low[i - 1] - l;
    const plusDm = up > down && up > 0 ? up : 0;
    const minusDm = down > up && down > 0 ? down : 0;
    if (i < period) {
      trAvg += tr;
      plusAvg += plusDm;
      minusAvg += minusDm;
      continue;
    }
    if (i === period) {
      trAvg = (trAvg + tr) / period;
      plusAvg = (plusAvg + plusDm) / period;
      minusAvg = (minusAvg + minusDm) / period;
    } else {
      trAvg = (trAvg * keep + tr) / period;
      plusAvg = (plusAvg * keep + plusDm) / period;
      minusAvg = (minusAvg * keep + minusDm) / period;
    }
    const p = trAvg === 0 ? 0 : (100 * plusAvg) / trAvg;
    const m = trAvg === 0 ? 0 : (100 * minusAvg) / trAvg;
    plusDi[i] = p;
    minusDi[i] = m;
    const sum = p + m;
    const dx = sum === 0 ? 0 : (100 * Math.abs(p - m)) / sum;
    const k = i - period; // index of this DX value among the valid ones
    if (k < keep) {
      dxAvg += dx;
    } else if (k === keep) {
      dxAvg = (dxAvg + dx) / period;
      adxOut[i] = dxAvg;
    } else {
      dxAvg = (dxAvg * keep + dx) / period;
      adxOut[i] = dxAvg;
    }
  }
  return { adx: adxOut, plusDi, minusDi };
}
