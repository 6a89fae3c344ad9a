/**
 * Market-relative statistics: β of the strategy against holding the asset, and Jensen's
 * alpha. β = cov/var of per-bar log returns of equity and of Close over the whole series
 * (backtesting.py 0.6.6: `np.cov(log(eq[1:]/eq[:-1]), log(c[1:]/c[:-1]))`; the ddof
 * cancels). NaN when undefined (fewer than 3 bars, a zero variance or a zero equity).
 *
 * Speed: the centred log returns of Close depend only on the candles, so they are memoised
 * per Close array (candles are immutable; a WeakMap lets them be collected with it). Then
 * cov = Σ x·(y − ȳ) over the equity log returns x — the same sum as the two-pass formula
 * because Σ(y − ȳ) = 0 — in one pass without allocation, and bars where equity did not move
 * (x = 0) cost no logarithm; the others use `logRatio` (ln of a ratio near 1 by a short
 * series, within a few ulp of Math.log of the same ratio).
 */
import { logRatio } from '../math/log-ratio.js';

interface CentredLogReturns {
  readonly yc: Float64Array;
  readonly ss: number;
}

const closeMemo = new WeakMap<Float64Array, CentredLogReturns>();

function centredLogReturns(close: Float64Array): CentredLogReturns {
  const hit = closeMemo.get(close);
  if (hit) return hit;
  const m = close.length - 1;
  const yc = new Float64Array(Math.max(0, m));
  let sum = 0;
  for (let i = 0; i < m; i++) {
    yc[i] = Math.log(close[i + 1] / close[i]);
    sum += yc[i];
  }
  const mean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; i++) {
    yc[i] -= mean;
    ss += yc[i] * yc[i];
  }
  const v = { yc, ss };
  closeMemo.set(close, v);
  return v;
}

export function beta(equity: Float64Array, close: Float64Array): number {
  const m = equity.length - 1;
  if (m < 2) return NaN;
  const { yc, ss } = centredLogReturns(close);
  let cov = 0;
  let prev = equity[0];
  for (let i = 0; i < m; i++) {
    const next = equity[i + 1];
    if (next !== prev) cov += logRatio(prev, next) * yc[i];
    else if (!(prev > 0)) return NaN; // log(0/0): equity was wiped out
    prev = next;
  }
  return ss > 0 ? cov / ss : NaN;
}

/** Jensen's alpha in the units of its inputs: R − rf − β·(B − rf). */
export function alpha(totalReturn: number, buyHoldReturn: number, b: number, riskFree: number): number {
  return totalReturn - riskFree - b * (buyHoldReturn - riskFree);
}
