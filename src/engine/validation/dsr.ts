import { normalCdf, normalQuantile } from '../math/normal.js';
import { assertShape, sharpeVarianceFactor } from './sharpe-stats.js';

/**
 * Deflated Sharpe Ratio (Bailey & López de Prado 2014, "The Deflated Sharpe Ratio",
 * Journal of Portfolio Management 40(5)), as restated in STATISTICS.md.
 *
 *   SR₀ = √V · ((1 − γ_E)·Φ⁻¹(1 − 1/N) + γ_E·Φ⁻¹(1 − 1/(N·e)))
 *   DSR = Φ((SR − SR₀)·√(T − 1) / √(1 − γ₃·SR + ((γ₄ − 1)/4)·SR²))
 *
 * V is the variance of the trials' per-period Sharpe ratios, N the number of trials (from
 * the ledger family, or an effective N), SR/γ₃/γ₄(raw)/T those of the selected strategy.
 */

/** Euler–Mascheroni constant γ_E. */
export const EULER_GAMMA = 0.5772156649015329;

/**
 * Expected maximum of N independent per-period Sharpe ratios with variance V under the null
 * (true SR = 0). N ≤ 1 or V = 0 gives 0. N may be fractional (an effective N); for N just
 * above 1 the asymptotic formula turns negative (it tends to −∞ as N → 1), and an expected
 * maximum below the null mean makes no sense, so the result is clamped at 0 (this happens
 * for N < ~1.4).
 */
export function expectedMaxSharpe(n: number, variance: number): number {
  if (!Number.isFinite(n) || n < 1) throw new RangeError(`n (number of trials) must be a finite number >= 1, got ${n}`);
  if (!Number.isFinite(variance) || variance < 0) throw new RangeError(`variance must be a finite number >= 0, got ${variance}`);
  if (n === 1 || variance === 0) return 0;
  const z = (1 - EULER_GAMMA) * normalQuantile(1 - 1 / n) + EULER_GAMMA * normalQuantile(1 - 1 / (n * Math.E));
  return Math.max(0, Math.sqrt(variance) * z);
}

export interface DsrInput {
  /** Per-period Sharpe ratio of the selected strategy. */
  readonly sr: number;
  /** Number of its return observations. */
  readonly t: number;
  readonly skew: number;
  /** RAW (Pearson) kurtosis, normal = 3. */
  readonly kurtosisRaw: number;
  /** Number of trials N (ledger family count or an effective N ≥ 1). */
  readonly nTrials: number;
  /** Variance V of the trials' per-period Sharpe ratios. */
  readonly srVariance: number;
  /** Where N came from, echoed in the result (e.g. "ledger family 12: 340 trials"). */
  readonly nSource?: string;
}

export interface DsrResult {
  /** Probability that the true SR exceeds SR₀ (a probability, not a z-score). */
  readonly dsr: number;
  /** Expected maximum per-period SR under the null, the deflation benchmark. */
  readonly sr0: number;
  /** The z-score inside Φ (null when the moments are degenerate). */
  readonly z: number | null;
  readonly n_used: number;
  readonly n_source: string | null;
  readonly sr_variance: number;
  /** PSR(0) of the same sample: what DSR would be without deflation (N = 1). */
  readonly psr0: number;
  readonly warnings: string[];
}

export function deflatedSharpe(input: DsrInput): DsrResult {
  const { sr, t, skew, kurtosisRaw, nTrials, srVariance } = input;
  assertShape(sr, skew, kurtosisRaw);
  if (!(t > 1)) throw new RangeError(`t must be > 1 (number of returns), got ${t}`);
  const warnings: string[] = [];
  const sr0 = expectedMaxSharpe(nTrials, srVariance);
  if (nTrials > 1 && srVariance === 0) warnings.push(`N = ${nTrials} but the trials' Sharpe variance is 0: SR₀ = 0, DSR = PSR(0)`);
  const factor = sharpeVarianceFactor(sr, skew, kurtosisRaw);
  const scale = Math.sqrt(t - 1) / Math.sqrt(factor);
  const degenerate = !(factor > 0);
  if (degenerate) warnings.push('deflatedSharpe: the non-normality factor is 0 (degenerate moments); DSR is 0 or 1');
  const prob = (d: number): number => (degenerate ? (d > 0 ? 1 : d < 0 ? 0 : 0.5) : normalCdf(d * scale));
  return {
    dsr: prob(sr - sr0),
    sr0,
    z: degenerate ? null : (sr - sr0) * scale,
    n_used: nTrials,
    n_source: input.nSource ?? null,
    sr_variance: srVariance,
    psr0: prob(sr),
    warnings,
  };
}

/**
 * Effective number of independent trials from the average pairwise correlation ρ̄ of the
 * trials' returns: N_eff = ρ̄ + (1 − ρ̄)·N. This is the interpolation Bailey & López de Prado
 * (2014) suggest for correlated trials: ρ̄ = 0 gives N, ρ̄ = 1 gives a single trial. ρ̄ is
 * clamped to [0, 1] (a negative average correlation would claim more than N independent
 * trials). Accepts ρ̄ directly, or a full correlation matrix (then n defaults to its size
 * and ρ̄ is the mean of its off-diagonal entries).
 */
export function effectiveN(correlation: number | readonly (readonly number[])[], n?: number): number {
  let rho: number;
  let size: number;
  if (typeof correlation === 'number') {
    if (n === undefined) throw new RangeError('effectiveN: n is required when an average correlation is given');
    rho = correlation;
    size = n;
  } else {
    size = n ?? correlation.length;
    rho = averageOffDiagonal(correlation);
  }
  if (!Number.isFinite(size) || size < 1) throw new RangeError(`effectiveN: n must be >= 1, got ${size}`);
  if (!Number.isFinite(rho)) throw new RangeError(`effectiveN: average correlation must be finite, got ${rho}`);
  const r = Math.min(1, Math.max(0, rho));
  return r + (1 - r) * size;
}

/** Mean of the off-diagonal entries of a square correlation matrix. */
export function averageOffDiagonal(m: readonly (readonly number[])[]): number {
  const k = m.length;
  if (k < 2) return 0;
  let s = 0;
  for (let i = 0; i < k; i++) {
    if (m[i].length !== k) throw new RangeError(`correlation matrix must be square: row ${i} has ${m[i].length} entries, expected ${k}`);
    for (let j = 0; j < k; j++) if (i !== j) s += m[i][j];
  }
  return s / (k * (k - 1));
}

/**
 * V for the DSR: variance (ddof 1) of the trials' per-period Sharpe ratios, ignoring
 * non-finite entries (trials whose Sharpe is undefined). NaN when fewer than 2 remain.
 */
export function trialSharpeVariance(srs: ArrayLike<number>): number {
  let n = 0;
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < srs.length; i++) {
    const x = srs[i];
    if (!Number.isFinite(x)) continue;
    n++;
    const d = x - m;
    m += d / n;
    m2 += d * (x - m);
  }
  return n >= 2 ? m2 / (n - 1) : NaN;
}
