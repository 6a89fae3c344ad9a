import { deflatedSharpe, effectiveN, trialSharpeVariance, type DsrResult } from './dsr.js';
import { minTrl, psr, sharpeStdError, sharpeTStat, type SharpeSample } from './sharpe-stats.js';

/**
 * Everything STATISTICS.md asks to report about one selected strategy's Sharpe ratio, from
 * the trial ledger family it was selected from: σ(SR), t-statistic, PSR(0), MinTRL, and the
 * DSR twice — with the nominal N (every trial counted) and with the effective N from the
 * trials' average correlation — plus which of the two is `used` for verdicts.
 *
 * Default `use: 'nominal'`: the nominal N deflates at least as much as N_eff ≤ N, so it is
 * the conservative choice; N_eff is reported beside it for context.
 */
export interface SelectionBiasInput {
  readonly sample: SharpeSample;
  /** Per-period Sharpe ratios of every trial in the ledger family (gives V, and N by default). */
  readonly trialSharpes: ArrayLike<number>;
  /** Override N (e.g. when the ledger counts trials whose Sharpe is not stored). */
  readonly nTrials?: number;
  /** Average pairwise correlation of the trials' returns (see correlation.ts), if known. */
  readonly avgCorrelation?: number | null;
  readonly nSource?: string;
  readonly use?: 'nominal' | 'effective';
  /** MinTRL confidence level α (default 0.05). */
  readonly alpha?: number;
}

export interface SelectionBiasReport {
  readonly sr: number;
  readonly sr_std_error: number;
  readonly t_stat: number;
  readonly psr0: number;
  readonly min_trl: number | null;
  readonly n_nominal: number;
  readonly n_effective: number | null;
  readonly avg_correlation: number | null;
  readonly sr_variance: number;
  readonly dsr_nominal: DsrResult;
  readonly dsr_effective: DsrResult | null;
  readonly used: 'nominal' | 'effective';
  /** The DSR of the `used` N. */
  readonly dsr: number;
  readonly warnings: string[];
}

export function selectionBias(input: SelectionBiasInput): SelectionBiasReport {
  const { sample } = input;
  const warnings: string[] = [];
  const finite = Array.prototype.filter.call(input.trialSharpes, (x: number) => Number.isFinite(x)).length;
  const n = input.nTrials ?? Math.max(1, finite);
  let v = trialSharpeVariance(input.trialSharpes);
  if (!Number.isFinite(v)) {
    warnings.push(`fewer than 2 trials with a Sharpe ratio: V = 0, so SR₀ = 0 and DSR = PSR(0)`);
    v = 0;
  }
  const source = input.nSource ?? `${n} trials in the ledger family`;
  const nominal = deflatedSharpe({ ...sample, nTrials: n, srVariance: v, nSource: source });
  let effective: DsrResult | null = null;
  let nEff: number | null = null;
  const rho = input.avgCorrelation ?? null;
  if (rho !== null && Number.isFinite(rho)) {
    nEff = effectiveN(rho, n);
    effective = deflatedSharpe({ ...sample, nTrials: nEff, srVariance: v, nSource: `effective N = ρ̄ + (1 − ρ̄)·N with ρ̄ = ${rho.toFixed(3)}` });
  } else warnings.push('no average correlation of trial returns given: effective N not computed');
  let used = input.use ?? 'nominal';
  if (used === 'effective' && effective === null) {
    warnings.push("'effective' N requested but unavailable; using the nominal N");
    used = 'nominal';
  }
  return {
    sr: sample.sr,
    sr_std_error: sharpeStdError(sample),
    t_stat: sharpeTStat(sample.sr, sample.t),
    psr0: psr(sample),
    min_trl: minTrl({ ...sample, alpha: input.alpha }),
    n_nominal: n,
    n_effective: nEff,
    avg_correlation: rho,
    sr_variance: v,
    dsr_nominal: nominal,
    dsr_effective: effective,
    used,
    dsr: used === 'effective' && effective ? effective.dsr : nominal.dsr,
    warnings: [...warnings, ...nominal.warnings],
  };
}
