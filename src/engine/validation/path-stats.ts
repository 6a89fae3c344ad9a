import { nearConstant } from '../metrics/risk.js';
import { quantileSorted, sortedFinite } from './summary.js';

/**
 * Per-path statistics of a compounded return path and their summary over many Monte Carlo
 * paths. Units are FRACTIONS (0.05 = 5 %); drawdowns are negative numbers, like the metrics.
 *
 * Paths are followed in log space (log equity = Σ log1p(r)), so a million compounded
 * returns neither overflow nor underflow; a return ≤ −1 is a total loss (equity 0, log
 * equity −∞), which the path never recovers from.
 */
export interface PathPercentiles {
  readonly p05: number;
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
}

export interface MonteCarloResult {
  readonly method: 'trade_resample' | 'trade_shuffle' | 'stationary_bootstrap' | 'fixed_block_bootstrap';
  readonly paths: number;
  /** Returns per path. */
  readonly n: number;
  readonly seed: number;
  /** Mean (stationary) or exact (fixed) block length; null for trade methods. */
  readonly block_length: number | null;
  /** Compounded return of each path (fraction). */
  readonly final_return: PathPercentiles;
  /** Maximum drawdown of each path (negative fraction; −0.25 = −25 %). */
  readonly max_drawdown: PathPercentiles;
  /** Sharpe of each path's returns (per period × √periodsPerYear); null if undefined on every path. */
  readonly sharpe: PathPercentiles | null;
  /** Longest run of consecutive steps below the running peak (time under water). */
  readonly longest_underwater: PathPercentiles;
  /** Share of paths with a final return < 0. */
  readonly p_loss: number;
  /** Share of paths whose max drawdown is deeper than each depth (risk of ruin at that level). */
  readonly p_drawdown_worse_than: { readonly depth: number; readonly p: number }[];
  /** The same statistics on the original order. */
  readonly observed: {
    readonly final_return: number;
    readonly max_drawdown: number;
    readonly sharpe: number | null;
    readonly longest_underwater: number;
  };
  readonly warnings: string[];
}

/** Collects one record per path. */
export class PathRecorder {
  readonly finalLog: Float64Array;
  readonly maxLogDd: Float64Array;
  readonly sharpe: Float64Array;
  readonly underwater: Float64Array;
  private count = 0;

  constructor(paths: number) {
    this.finalLog = new Float64Array(paths);
    this.maxLogDd = new Float64Array(paths);
    this.sharpe = new Float64Array(paths);
    this.underwater = new Float64Array(paths);
  }

  /** Records a path from its log-equity end, max log drawdown, return sums and longest underwater run. */
  record(finalLog: number, maxLogDd: number, n: number, sum: number, sumSq: number, underwater: number, scale: number): void {
    const k = this.count++;
    this.finalLog[k] = finalLog;
    this.maxLogDd[k] = maxLogDd;
    this.sharpe[k] = sharpeOf(n, sum, sumSq, scale);
    this.underwater[k] = underwater;
  }
}

/** Sharpe from sums (NaN when n < 2 or the returns are constant up to rounding or relative to their mean). */
export function sharpeOf(n: number, sum: number, sumSq: number, scale: number): number {
  if (n < 2) return NaN;
  const m = sum / n;
  const v = (sumSq - sum * m) / (n - 1);
  if (!(v * n > 1e-14 * sumSq) || nearConstant(m, Math.sqrt(v))) return NaN;
  return (m / Math.sqrt(v)) * scale;
}

/** Statistics of one path in the given order (log returns `lr`, simple returns `r`). */
export function observedPath(r: ArrayLike<number>, lr: Float64Array, scale: number): MonteCarloResult['observed'] {
  let le = 0;
  let peak = 0;
  let mdd = 0;
  let lastPeak = 0;
  let uw = 0;
  let sum = 0;
  let sq = 0;
  const n = lr.length;
  for (let k = 0; k < n; k++) {
    le += lr[k];
    sum += r[k];
    sq += r[k] * r[k];
    if (le >= peak) {
      if (k - lastPeak > uw) uw = k - lastPeak; // steps k−lastPeak … k have been below the peak
      peak = le;
      lastPeak = k + 1;
    } else if (peak - le > mdd) mdd = peak - le;
  }
  if (n - lastPeak > uw) uw = n - lastPeak;
  const s = sharpeOf(n, sum, sq, scale);
  return { final_return: Math.expm1(le), max_drawdown: Math.expm1(-mdd), sharpe: Number.isFinite(s) ? s : null, longest_underwater: uw };
}

function percentiles(values: ArrayLike<number>, map: (x: number) => number = (x) => x): PathPercentiles | null {
  const mapped = Float64Array.from(values as ArrayLike<number>, map);
  const sorted = sortedFinite(mapped);
  if (sorted.length === 0) return null;
  let m = 0;
  for (let i = 0; i < sorted.length; i++) m += sorted[i];
  return {
    p05: quantileSorted(sorted, 0.05),
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    mean: m / sorted.length,
  };
}

export function assemble(
  rec: PathRecorder,
  head: Pick<MonteCarloResult, 'method' | 'paths' | 'n' | 'seed' | 'block_length' | 'observed'>,
  ruinLevels: readonly number[],
  warnings: string[],
): MonteCarloResult {
  const paths = rec.finalLog.length;
  let losses = 0;
  for (let k = 0; k < paths; k++) if (rec.finalLog[k] < 0) losses++;
  const sharpe = percentiles(rec.sharpe);
  const undefinedSharpe = rec.sharpe.reduce((c, v) => c + (Number.isFinite(v) ? 0 : 1), 0);
  if (sharpe === null) warnings.push('Sharpe is undefined on every path (zero variance)');
  else if (undefinedSharpe > 0) warnings.push(`Sharpe undefined (zero variance) on ${undefinedSharpe} of ${paths} paths; percentiles use the rest`);
  return {
    ...head,
    final_return: percentiles(rec.finalLog, Math.expm1) as PathPercentiles,
    max_drawdown: percentiles(rec.maxLogDd, (x) => Math.expm1(-x)) as PathPercentiles,
    sharpe,
    longest_underwater: percentiles(rec.underwater) as PathPercentiles,
    p_loss: losses / paths,
    p_drawdown_worse_than: ruinLevels.map((depth) => {
      // drawdown deeper than `depth`  ⇔  1 − e^(−mdd) > depth  ⇔  mdd > −log(1 − depth)
      const limit = -Math.log1p(-depth);
      let c = 0;
      for (let k = 0; k < paths; k++) if (rec.maxLogDd[k] > limit) c++;
      return { depth, p: c / paths };
    }),
    warnings,
  };
}

/** log1p of each return; returns ≤ −1 map to −∞ (total loss). Counts them. */
export function logReturns(r: ArrayLike<number>): { lr: Float64Array; ruinous: number } {
  const lr = new Float64Array(r.length);
  let ruinous = 0;
  for (let i = 0; i < r.length; i++) {
    const x = r[i];
    if (!Number.isFinite(x)) throw new RangeError(`return at index ${i} is ${x}; returns must be finite fractions`);
    if (x <= -1) {
      lr[i] = -Infinity;
      ruinous++;
    } else lr[i] = Math.log1p(x);
  }
  return { lr, ruinous };
}
