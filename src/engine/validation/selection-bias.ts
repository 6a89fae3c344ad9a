import { deflatedSharpe, effectiveN, trialSharpeVariance, type DsrResult } from './dsr.js';
import { minTrl, psr, sharpeStdError, sharpeTStat, type SharpeSample } from './sharpe-stats.js';

/**
 * Everything STATISTICS.md asks to report about one selected Sharpe ratio: σ(SR), t, PSR(0),
 * MinTRL, and the Deflated Sharpe Ratio for the set it was selected from (N distinct
 * configurations), in two variants of V, the variance of a member's per-period SR under the
 * null:
 *
 * - `no_skill`: V₀ = 1/(T − 1), the sampling variance of a per-period SR estimate over the
 *   candidate's T returns when the true SR is 0 (at SR = 0 the non-normality terms of σ(SR)
 *   vanish). This is the variant verdicts and gates USE: it is the null hypothesis's own
 *   variance, so real differences between configurations (one trades an edge, another does
 *   not) cannot inflate it, and a handful of members cannot make it noisy. With the nominal
 *   N it is conservative when the members are correlated: by Slepian's inequality the
 *   expected maximum of N correlated null SRs is at most that of N independent ones.
 * - `cross_sectional`: V = the variance of the members' recorded per-period SRs, the DSR
 *   paper's estimate; reported beside it (null with fewer than 2 members with a Sharpe).
 *
 * An effective N from the members' average correlation (ρ̄ + (1 − ρ̄)·N, a heuristic) is
 * reported when a correlation is given; it is never used for a verdict.
 */
export interface SelectionBiasInput {
  readonly sample: SharpeSample;
  /** Distinct configurations in the selection set (≥ 1; the candidate is one of them). */
  readonly n: number;
  /** Per-period Sharpe ratios of the members that have one (gives the cross-sectional V). */
  readonly memberSharpes: ArrayLike<number>;
  /** Average pairwise correlation of the members' returns, if known (effective N). */
  readonly avgCorrelation?: number | null;
  /** MinTRL confidence level α (default 0.05). */
  readonly alpha?: number;
}

export interface DeflationVariant {
  readonly v: number;
  readonly sr0: number;
  readonly dsr: number;
  readonly z: number | null;
}

export interface SelectionBiasReport {
  readonly sr: number;
  readonly t: number;
  readonly sr_std_error: number;
  readonly t_stat: number;
  readonly psr0: number;
  readonly min_trl: number | null;
  readonly n: number;
  /** The variant verdicts and gates use. */
  readonly used: 'no_skill';
  /** DSR, SR₀ and V of the `used` variant. */
  readonly dsr: number;
  readonly sr0: number;
  readonly v: number;
  readonly no_skill: DeflationVariant;
  readonly cross_sectional: (DeflationVariant & { readonly members: number }) | null;
  readonly effective: (DeflationVariant & { readonly n: number; readonly avg_correlation: number }) | null;
  readonly warnings: string[];
}

const variant = (d: DsrResult, v: number): DeflationVariant => ({ v, sr0: d.sr0, dsr: d.dsr, z: d.z });

export function selectionBias(input: SelectionBiasInput): SelectionBiasReport {
  const { sample } = input;
  if (!Number.isFinite(input.n) || input.n < 1) throw new RangeError(`selectionBias: n must be a finite number >= 1, got ${input.n}`);
  if (!(sample.t > 1)) throw new RangeError(`selectionBias: t must be > 1 (number of returns), got ${sample.t}`);
  const warnings: string[] = [];
  const n = input.n;
  const v0 = 1 / (sample.t - 1);
  const noSkill = deflatedSharpe({ ...sample, nTrials: n, srVariance: v0 });
  warnings.push(...noSkill.warnings);
  let members = 0;
  for (let i = 0; i < input.memberSharpes.length; i++) if (Number.isFinite(input.memberSharpes[i])) members++;
  const vx = trialSharpeVariance(input.memberSharpes);
  const cross = Number.isFinite(vx) ? { ...variant(deflatedSharpe({ ...sample, nTrials: n, srVariance: vx }), vx), members } : null;
  if (!cross && n > 1) warnings.push(`cross-sectional V undefined: ${members} member(s) with a Sharpe ratio (at least 2 needed)`);
  let effective: SelectionBiasReport['effective'] = null;
  const rho = input.avgCorrelation ?? null;
  if (rho !== null && Number.isFinite(rho)) {
    const nEff = effectiveN(rho, n);
    effective = { ...variant(deflatedSharpe({ ...sample, nTrials: nEff, srVariance: v0 }), v0), n: nEff, avg_correlation: rho };
  }
  return {
    sr: sample.sr,
    t: sample.t,
    sr_std_error: sharpeStdError(sample),
    t_stat: sharpeTStat(sample.sr, sample.t),
    psr0: psr(sample),
    min_trl: minTrl({ ...sample, alpha: input.alpha }),
    n,
    used: 'no_skill',
    dsr: noSkill.dsr,
    sr0: noSkill.sr0,
    v: v0,
    no_skill: variant(noSkill, v0),
    cross_sectional: cross,
    effective,
    warnings,
  };
}
