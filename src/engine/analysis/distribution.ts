import { quantileSorted } from '../validation/summary.js';

/**
 * Distribution of per-period returns (fractions, e.g. daily returns of equity).
 *
 * - std: ddof 1. skew: g1 = m3/m2^1.5. Kurtosis is given twice with explicit names:
 *   `kurtosis_raw` (Pearson, normal = 3; what PSR/DSR take) and `kurtosis_excess` (= raw − 3).
 * - Historical VaR/CVaR at confidence c, expressed as RETURNS (negative = a loss):
 *   var_c = the (1 − c) quantile of the returns (linear interpolation, numpy's default);
 *   cvar_c = mean of the returns ≤ var_c (expected shortfall; never empty since min ≤ var).
 * - tail_ratio = |95th percentile| / |5th percentile| (right tail vs left tail).
 * Undefined values are null with a warning.
 */
export interface ReturnDistribution {
  readonly n: number;
  readonly mean: number | null;
  readonly std: number | null;
  readonly skew: number | null;
  readonly kurtosis_raw: number | null;
  readonly kurtosis_excess: number | null;
  readonly var_95: number | null;
  readonly cvar_95: number | null;
  readonly var_99: number | null;
  readonly cvar_99: number | null;
  readonly tail_ratio: number | null;
  readonly best: number | null;
  readonly worst: number | null;
  /** Share of returns > 0, in percent. */
  readonly positive_pct: number | null;
  readonly warnings: string[];
}

export function returnDistribution(returns: ArrayLike<number>): ReturnDistribution {
  const warnings: string[] = [];
  const x = Float64Array.from(returns as ArrayLike<number>);
  const n = x.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) throw new RangeError(`return at index ${i} is ${x[i]}; returns must be finite`);
  if (n === 0) {
    warnings.push('no returns: distribution undefined');
    const none = null;
    return {
      n, mean: none, std: none, skew: none, kurtosis_raw: none, kurtosis_excess: none, var_95: none, cvar_95: none,
      var_99: none, cvar_99: none, tail_ratio: none, best: none, worst: none, positive_pct: none, warnings,
    };
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
    if (x[i] > 0) positive++;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const flat = !(m2 > 1e-24 * Math.max(m * m, Number.MIN_VALUE));
  if (n < 2) warnings.push('fewer than 2 returns: std, skew and kurtosis undefined');
  else if (flat) warnings.push('returns have zero variance: skew and kurtosis undefined');
  const kurtRaw = n >= 2 && !flat ? m4 / (m2 * m2) : null;

  const sorted = x.slice().sort();
  const var95 = quantileSorted(sorted, 0.05);
  const var99 = quantileSorted(sorted, 0.01);
  const cvar = (v: number): number => {
    let s = 0;
    let k = 0;
    for (let i = 0; i < n && sorted[i] <= v; i++, k++) s += sorted[i];
    return s / k;
  };
  if (n < 20) warnings.push(`VaR/CVaR 95 % from only ${n} returns (fewer than 20): the tail is barely sampled`);
  else if (n < 100) warnings.push(`VaR/CVaR 99 % from only ${n} returns (fewer than 100): the tail is barely sampled`);
  const q95 = quantileSorted(sorted, 0.95);
  const tailRatio = var95 !== 0 ? Math.abs(q95) / Math.abs(var95) : null;
  if (tailRatio === null) warnings.push('tail ratio undefined: the 5th percentile is 0');
  return {
    n,
    mean: m,
    std: n >= 2 ? Math.sqrt((m2 * n) / (n - 1)) : null,
    skew: n >= 2 && !flat ? m3 / Math.pow(m2, 1.5) : null,
    kurtosis_raw: kurtRaw,
    kurtosis_excess: kurtRaw === null ? null : kurtRaw - 3,
    var_95: var95,
    cvar_95: cvar(var95),
    var_99: var99,
    cvar_99: cvar(var99),
    tail_ratio: tailRatio,
    best: sorted[n - 1],
    worst: sorted[0],
    positive_pct: (100 * positive) / n,
    warnings,
  };
}
