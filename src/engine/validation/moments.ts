/**
 * Sample moments of per-period returns, as STATISTICS.md uses them.
 *
 * - std uses ddof 1 (so SR = mean/std matches the Sharpe definition everywhere else).
 * - Skewness and kurtosis are the plain moment ratios of the sample (population / "biased"
 *   estimators g1 = m3/m2^1.5 and b2 = m4/m2², as `scipy.stats.skew` and
 *   `scipy.stats.kurtosis(fisher=False)` return by default and as the PSR/DSR papers' code uses).
 * - Kurtosis comes in two flavours that must not be mixed: RAW (Pearson, normal = 3) is what
 *   the PSR/DSR formulas take; EXCESS (normal = 0) is what many libraries return. Every
 *   variable is named `kurtosisRaw` or `kurtosisExcess`.
 *
 * Low-level functions return NaN when undefined (like indicators); `returnMoments` reports
 * `null` plus a warning instead.
 */

import { nearConstant } from '../metrics/risk.js';

/** Any numeric series: a plain array or a typed array, read only. */
export type Numbers = ArrayLike<number>;

export function mean(x: Numbers): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/** Variance with `ddof` degrees of freedom removed (default 1); two-pass. */
export function variance(x: Numbers, ddof = 1): number {
  const n = x.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    s += d * d;
  }
  return s / (n - ddof);
}

export function std(x: Numbers, ddof = 1): number {
  return Math.sqrt(variance(x, ddof));
}

/** Central moments m2, m3, m4 (divided by n) about the mean `m` (computed when not given). */
function centralMoments(x: Numbers, m = mean(x)): { m2: number; m3: number; m4: number } {
  const n = x.length;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** Sample skewness g1 = m3 / m2^1.5 (NaN for n < 1 or zero variance). */
export function skewness(x: Numbers): number {
  if (x.length === 0) return NaN;
  const { m2, m3 } = centralMoments(x);
  return m2 > 0 ? m3 / Math.pow(m2, 1.5) : NaN;
}

/** RAW (Pearson) kurtosis b2 = m4 / m2²; a normal sample gives about 3. */
export function kurtosisRaw(x: Numbers): number {
  if (x.length === 0) return NaN;
  const { m2, m4 } = centralMoments(x);
  return m2 > 0 ? m4 / (m2 * m2) : NaN;
}

/** EXCESS kurtosis = raw − 3; a normal sample gives about 0. Do not feed this to PSR/DSR. */
export function kurtosisExcess(x: Numbers): number {
  return kurtosisRaw(x) - 3;
}

export interface ReturnMoments {
  readonly n: number;
  readonly mean: number | null;
  /** ddof 1. */
  readonly std: number | null;
  /** Per-period (not annualised) Sharpe ratio mean/std. */
  readonly sharpe: number | null;
  readonly skew: number | null;
  readonly kurtosisRaw: number | null;
  readonly warnings: string[];
}

/** The moments a trial-ledger row records, with `null` + a warning where undefined. */
export function returnMoments(r: Numbers): ReturnMoments {
  const warnings: string[] = [];
  const n = r.length;
  if (n < 2) {
    warnings.push(`returnMoments: ${n} observation(s); at least 2 are needed for std and Sharpe`);
    return { n, mean: n === 1 ? r[0] : null, std: null, sharpe: null, skew: null, kurtosisRaw: null, warnings };
  }
  // one pass checks and sums (every trial's ledger row comes through here), one for the moments
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = r[i];
    if (!Number.isFinite(v)) throw new RangeError(`returnMoments: return at index ${i} is ${v}; returns must be finite`);
    sum += v;
  }
  const m = sum / n;
  const { m2, m3, m4 } = centralMoments(r, m);
  const sd = Math.sqrt((m2 * n) / (n - 1));
  // A variance that is zero, or negligible next to the mean (near-constant returns), has no
  // meaningful Sharpe: null + a warning instead of a per-period Sharpe of 1e8.
  const degenerate = nearConstant(m, sd);
  if (degenerate) warnings.push('returnMoments: returns have zero variance (constant, or varying by under 0.1 % of their mean); Sharpe, skew and kurtosis are undefined');
  return {
    n,
    mean: m,
    std: sd,
    sharpe: degenerate ? null : m / sd,
    skew: degenerate ? null : m3 / Math.pow(m2, 1.5),
    kurtosisRaw: degenerate ? null : m4 / (m2 * m2),
    warnings,
  };
}

/** Moments of one block of returns, enough to rebuild mean and std of any union of blocks. */
export interface BlockMoment {
  readonly n: number;
  readonly sum: number;
  readonly sumSq: number;
}

/**
 * Start offsets of `blocks` contiguous, equal-as-possible blocks over n rows (length
 * blocks + 1, last = n). When n is not a multiple, the first n mod blocks blocks get one
 * row more (numpy.array_split's rule).
 */
export function blockBounds(n: number, blocks: number): Int32Array {
  if (!Number.isInteger(blocks) || blocks < 1) throw new RangeError(`blocks must be an integer >= 1, got ${blocks}`);
  if (n < blocks) throw new RangeError(`cannot split ${n} observations into ${blocks} blocks (need at least one per block)`);
  const base = Math.floor(n / blocks);
  const extra = n % blocks;
  const out = new Int32Array(blocks + 1);
  for (let b = 0; b < blocks; b++) out[b + 1] = out[b] + base + (b < extra ? 1 : 0);
  return out;
}

/** Per-block {n, sum, sumSq} of r over `blocks` contiguous blocks (default 16, as CSCV uses). */
export function blockMoments(r: Numbers, blocks = 16): BlockMoment[] {
  const bounds = blockBounds(r.length, blocks);
  const out: BlockMoment[] = [];
  for (let b = 0; b < blocks; b++) {
    let sum = 0;
    let sumSq = 0;
    for (let i = bounds[b]; i < bounds[b + 1]; i++) {
      const v = r[i];
      sum += v;
      sumSq += v * v;
    }
    out.push({ n: bounds[b + 1] - bounds[b], sum, sumSq });
  }
  return out;
}
