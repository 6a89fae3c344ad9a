import { geometricFromProduct } from './trades.js';

/**
 * Annualised return and risk from per-period returns r (not annualised) and A periods per
 * year. Fractions in, fractions out; NaN where undefined, with the reason in `why`.
 */
export interface RiskStats {
  readonly returnAnn: number;
  readonly volatilityAnn: number;
  readonly sharpe: number;
  readonly sortino: number;
  readonly why: { readonly volatility?: string; readonly sharpe?: string; readonly sortino?: string };
}

/** Below this per-period standard deviation the returns count as constant (Sharpe undefined). */
export const MIN_STD = 1e-12;

/**
 * Returns whose standard deviation is at most this fraction of their mean's magnitude count
 * as constant too: a curve growing by the same amount every period, give or take rounding,
 * would otherwise report a per-period Sharpe of 1e3 … 1e15 (an "annualised Sharpe of 1e8").
 * Such a ratio says nothing about risk, so it is undefined (null + a warning), not huge.
 */
export const NEAR_CONSTANT_RATIO = 1e-3;

/** Zero variance in absolute terms, or relative to the mean (see NEAR_CONSTANT_RATIO). */
export function nearConstant(mean: number, std: number): boolean {
  return !(std > MIN_STD) || std <= NEAR_CONSTANT_RATIO * Math.abs(mean);
}

const FLAT_REASON = 'zero variance of period returns (constant, or varying by under 0.1 % of their mean)';

/**
 * One pass (plus one for the variance, two-pass for accuracy) over the period returns for
 * every statistic the risk functions need. NaN returns (0/0 after equity hit 0) are skipped
 * and flagged; `product` is Π(1 + r) over the others, `lossTotal` whether some 1 + r ≤ 0.
 */
interface Moments {
  readonly count: number;
  readonly mean: number;
  readonly variance: number;
  /** √(mean(min(r − target, 0)²)) over ALL non-NaN observations (gains count as zeros). */
  readonly downside: number;
  readonly product: number;
  readonly anyNaN: boolean;
  readonly lossTotal: boolean;
}

function moments(r: Float64Array, target: number): Moments {
  let count = 0;
  let s = 0;
  let down = 0;
  let product = 1;
  let anyNaN = false;
  let lossTotal = false;
  for (let i = 0; i < r.length; i++) {
    const x = r[i];
    if (x !== x) {
      anyNaN = true;
      continue;
    }
    s += x;
    count++;
    const d = x < target ? x - target : 0;
    down += d * d;
    const g = 1 + x;
    if (g > 0) product *= g;
    else lossTotal = true;
  }
  const mean = s / count;
  let ss = 0;
  for (let i = 0; i < r.length; i++) {
    const x = r[i];
    if (x === x) ss += (x - mean) * (x - mean);
  }
  return { count, mean, variance: count > 1 ? ss / (count - 1) : NaN, downside: Math.sqrt(down / count), product, anyNaN, lossTotal };
}

/** Σ ln(1 + r) over the non-NaN period returns: the geometric mean's fallback (trades.ts). */
function logSum(r: Float64Array): () => number {
  return () => {
    let s = 0;
    for (let i = 0; i < r.length; i++) if (r[i] === r[i]) s += Math.log(1 + r[i]);
    return s;
  };
}

/** √(mean(min(r − target, 0)²)) over ALL observations (gains count as zeros), NaN skipped. */
export function downsideDeviation(r: Float64Array, target: number): number {
  return moments(r, target).downside;
}

/**
 * Standard definitions (default profile, EXECUTION.md §3). rf is annual; per period it is
 * rf/A. Sharpe = (mean − rf/A)/std·√A; Sortino = (mean − rf/A)/downside·√A with the
 * downside deviation over all observations; return_ann = (1 + g)^A − 1, g = geometric mean
 * (−1 after a total loss).
 */
export function standardRisk(r: Float64Array, a: number, riskFree: number): RiskStats {
  const rfp = riskFree / a;
  const { mean, variance, count, downside: down, product, lossTotal } = moments(r, rfp);
  const std = Math.sqrt(variance);
  const few = count < 2 ? `fewer than 2 period returns (${count})` : undefined;
  const flat = !few && nearConstant(mean, std) ? FLAT_REASON : undefined;
  // a period losing everything makes g −1: a wiped-out account annualises to −100 %
  // (backtesting.py's geometric mean gives 0 there instead)
  const g = count === 0 ? NaN : lossTotal ? -1 : geometricFromProduct(product, count, logSum(r));
  return {
    returnAnn: (1 + g) ** a - 1,
    volatilityAnn: few ? NaN : std * Math.sqrt(a),
    sharpe: few || flat ? NaN : ((mean - rfp) / std) * Math.sqrt(a),
    sortino: few ? NaN : down > 0 ? ((mean - rfp) / down) * Math.sqrt(a) : NaN,
    why: {
      volatility: few,
      sharpe: few ?? flat,
      sortino: few ?? (down > 0 ? undefined : 'no period return below the target (zero downside deviation)'),
    },
  };
}

/**
 * backtesting.py 0.6.6 definitions (EXECUTION.md §4). g is the geometric mean of the
 * period returns (0 when some 1 + r ≤ 0). Note: older backtesting.py versions kept the
 * leading NaN of `pct_change()` as a zero return inside g (dividing by one more period);
 * the numbers pinned for 0.6.6 (§5) match g over the actual returns only, as here.
 *   return_ann = (1 + g)^A − 1
 *   volatility = √((var(r, ddof 1) + (1 + g)²)^A − (1 + g)^(2A))
 *   sharpe = (return_ann − rf) / volatility;  sortino = (return_ann − rf) / (downside·√A)
 */
export function btpyRisk(r: Float64Array, a: number, riskFree: number): RiskStats {
  const { mean, variance, count, downside, product, anyNaN, lossTotal } = moments(r, 0);
  // backtesting.py's geometric_mean: 0 when some 1 + r is not > 0 (NaN included)
  const g = anyNaN || lossTotal ? 0 : r.length === 0 ? NaN : geometricFromProduct(product, r.length, logSum(r));
  const returnAnn = (1 + g) ** a - 1;
  const volatilityAnn = Math.sqrt((variance + (1 + g) ** 2) ** a - (1 + g) ** (2 * a));
  const down = downside * Math.sqrt(a);
  const few = count < 2 ? `fewer than 2 period returns (${count})` : undefined;
  const flat = !few && (!(volatilityAnn > 0) || nearConstant(mean, Math.sqrt(variance))) ? FLAT_REASON : undefined;
  return {
    returnAnn,
    volatilityAnn: few ? NaN : volatilityAnn,
    sharpe: few || flat ? NaN : (returnAnn - riskFree) / volatilityAnn,
    sortino: few ? NaN : down > 0 ? (returnAnn - riskFree) / down : NaN,
    why: {
      volatility: few,
      sharpe: few ?? flat,
      sortino: few ?? (down > 0 ? undefined : 'no negative period return (zero downside deviation)'),
    },
  };
}
