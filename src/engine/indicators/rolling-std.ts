import { assertPeriod, nanArray } from './util.js';
import { InputError } from '../errors.js';

/**
 * Rolling standard deviation of the last `period` values with `ddof` delta degrees of
 * freedom: ddof = 0 is the population std (Bollinger Bands), ddof = 1 the sample std
 * (z-score; pandas' `rolling(period).std()` default). It measures how widely price has
 * been swinging around its mean: the usual volatility yardstick for bands and z-scores.
 *
 * Warm-up: first value at index period − 1, NaN before; a window containing a NaN or
 * ±Infinity yields NaN. A window of identical values yields exactly 0. Never rounded.
 *
 * Numerics: sums of (x − K) and (x − K)² are kept with a shift K equal to the window mean at
 * the last re-anchoring, where both sums are recomputed from scratch by the two-pass
 * method. Re-anchoring happens every `period` bars (so error cannot accumulate over long
 * series), after a NaN leaves the window, and whenever the squares added and removed since
 * the anchor exceed 1000× the window's current sum of squared deviations — the case where
 * the incremental update would lose digits to cancellation (a quiet window after a jump or
 * spike, e.g. 0.0912 BTC moving by 1e-8). The relative error thus stays near 1e-13. Cost is
 * O(n) amortised (about 2n extra operations), degrading towards O(n·period) only on series
 * whose volatility collapses by orders of magnitude bar after bar. The schedule depends only
 * on data up to the current bar: results are prefix-invariant.
 */
export function rollingStd(values: Float64Array, period: number, ddof = 0): Float64Array {
  assertPeriod(period, 'period');
  if (!Number.isInteger(ddof) || ddof < 0 || ddof >= period) {
    throw new InputError(`ddof must be an integer in [0, period), got ${ddof} with period ${period}`);
  }
  const n = values.length;
  const out = new Float64Array(n);
  out.fill(NaN, 0, Math.min(n, period - 1));
  const dof = period - ddof;
  // anchor state lives in a typed array (not closure variables, which V8 would keep on the heap)
  const st = new Float64Array(3); // [shift, s1 = Σ(x − shift), s2 = Σ(x − shift)²]
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let churn = 0; // Σ of every square added or removed since the anchor (error scale of s2)
  let sinceAnchor = period;
  let lastNaN = -Infinity;
  let sameRun = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) lastNaN = i; // ±Infinity too: such a window has no finite std
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
    if (i < period - 1) continue;
    if (i - lastNaN < period) {
      out[i] = NaN;
      sinceAnchor = period; // state is stale: re-anchor once the window is clean
      continue;
    }
    let m2 = 0;
    let reanchor = sinceAnchor >= period;
    if (!reanchor) {
      const dIn = v - shift;
      const dOut = values[i - period] - shift;
      const in2 = dIn * dIn;
      const out2 = dOut * dOut;
      s1 += dIn - dOut;
      s2 += in2 - out2;
      churn += in2 + out2;
      sinceAnchor++;
      m2 = s2 - (s1 * s1) / period;
      // cancellation guard (a flat window is exactly 0 below, no need to re-anchor for it)
      reanchor = !(churn <= 1e3 * m2) && sameRun < period;
    }
    if (reanchor) {
      anchor(values, i - period + 1, period, st);
      shift = st[0];
      s1 = st[1];
      s2 = st[2];
      churn = s2;
      sinceAnchor = 1;
      m2 = s2 - (s1 * s1) / period;
    }
    out[i] = sameRun >= period ? 0 : m2 > 0 ? Math.sqrt(m2 / dof) : 0;
  }
  return out;
}

/** Two-pass sums over values[start .. start + period − 1] shifted by their mean, into st. */
function anchor(values: Float64Array, start: number, period: number, st: Float64Array): void {
  const end = start + period;
  let sum = 0;
  for (let j = start; j < end; j++) sum += values[j];
  const shift = sum / period;
  let s1 = 0;
  let s2 = 0;
  for (let j = start; j < end; j++) {
    const d = values[j] - shift;
    s1 += d;
    s2 += d * d;
  }
  st[0] = shift;
  st[1] = s1;
  st[2] = s2;
}
