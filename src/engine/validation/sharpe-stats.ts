import { normalCdf, normalQuantile } from '../math/normal.js';

/**
 * Uncertainty of an estimated Sharpe ratio (Bailey & López de Prado 2012, "The Sharpe Ratio
 * Efficient Frontier", Journal of Risk 15(2)), as restated in STATISTICS.md:
 *
 *   σ(SR)  = √[(1 − γ₃·SR + ((γ₄ − 1)/4)·SR²) / (T − 1)]
 *   PSR    = Φ((SR − SR*) / σ(SR))
 *   MinTRL = 1 + (1 − γ₃·SR + ((γ₄ − 1)/4)·SR²)·(Φ⁻¹(1 − α)/(SR − SR*))²
 *
 * SR is the PER-PERIOD Sharpe ratio (mean/std of the T returns, not annualised), γ₃ the
 * skewness and γ₄ the RAW kurtosis (normal = 3). Passing excess kurtosis is a classic bug;
 * values below 1 + γ₃² (impossible for a raw kurtosis) are rejected as a guard.
 */
export interface SharpeSample {
  /** Per-period Sharpe ratio. */
  readonly sr: number;
  /** Number of return observations. */
  readonly t: number;
  readonly skew: number;
  /** RAW (Pearson) kurtosis, normal = 3. */
  readonly kurtosisRaw: number;
}

function assertFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/** Checks the shape-parameters of a Sharpe sample (t is checked separately where needed). */
export function assertShape(sr: number, skew: number, kurtosisRaw: number): void {
  assertFinite(sr, 'sr');
  assertFinite(skew, 'skew');
  assertFinite(kurtosisRaw, 'kurtosisRaw');
  // Any distribution has kurtosis_raw >= 1 + skew² (Pearson's inequality); allow rounding slack.
  if (kurtosisRaw < 1 + skew * skew - 1e-9) {
    throw new RangeError(
      `kurtosisRaw ${kurtosisRaw} is below 1 + skew² = ${1 + skew * skew}, impossible for a raw kurtosis; ` +
        'did you pass EXCESS kurtosis? Add 3 (raw = excess + 3).',
    );
  }
}

/** The non-normality factor 1 − γ₃·SR + ((γ₄ − 1)/4)·SR² (always ≥ 0 for valid moments). */
export function sharpeVarianceFactor(sr: number, skew: number, kurtosisRaw: number): number {
  return 1 - skew * sr + ((kurtosisRaw - 1) / 4) * sr * sr;
}

/** Standard error σ(SR) of a per-period Sharpe ratio estimated from T returns. */
export function sharpeStdError(s: SharpeSample): number {
  assertShape(s.sr, s.skew, s.kurtosisRaw);
  if (!(s.t > 1)) throw new RangeError(`t must be > 1 (number of returns), got ${s.t}`);
  return Math.sqrt(sharpeVarianceFactor(s.sr, s.skew, s.kurtosisRaw) / (s.t - 1));
}

/**
 * Probabilistic Sharpe Ratio: the probability that the true per-period SR exceeds
 * `srBenchmark` (default 0) given the sample. A probability in [0, 1], not a z-score.
 */
export function psr(s: SharpeSample & { readonly srBenchmark?: number }): number {
  const bench = s.srBenchmark ?? 0;
  assertFinite(bench, 'srBenchmark');
  const se = sharpeStdError(s);
  if (se === 0) return s.sr > bench ? 1 : s.sr < bench ? 0 : 0.5;
  return normalCdf((s.sr - bench) / se);
}

/**
 * Minimum track record length (number of periods) needed for PSR(srBenchmark) ≥ 1 − α.
 * `null` when SR ≤ srBenchmark: no track record length is enough.
 */
export function minTrl(s: {
  readonly sr: number;
  readonly skew: number;
  readonly kurtosisRaw: number;
  readonly srBenchmark?: number;
  readonly alpha?: number;
}): number | null {
  const bench = s.srBenchmark ?? 0;
  const alpha = s.alpha ?? 0.05;
  assertShape(s.sr, s.skew, s.kurtosisRaw);
  assertFinite(bench, 'srBenchmark');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(s.sr > bench)) return null;
  const z = normalQuantile(1 - alpha);
  const k = z / (s.sr - bench);
  return 1 + sharpeVarianceFactor(s.sr, s.skew, s.kurtosisRaw) * k * k;
}

/** t-statistic of the mean return: SR·√T (per-period SR). */
export function sharpeTStat(sr: number, t: number): number {
  assertFinite(sr, 'sr');
  if (!(t > 0)) throw new RangeError(`t must be > 0, got ${t}`);
  return sr * Math.sqrt(t);
}
