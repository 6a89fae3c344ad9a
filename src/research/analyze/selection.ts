/**
 * Deep analysis, selection bias (STATISTICS.md): PSR(0) and MinTRL of the analysed curve's
 * end-of-day returns; the DSR deflated for the selection set of its kind of evidence
 * (research/selection.ts: N = distinct configurations on overlapping bars of the same
 * market; the verdict uses the no-skill V₀ and the nominal N, the cross-sectional V and an
 * effective-N heuristic are reported beside it); and PBO by exact CSCV over the trials of an
 * optimize run (ledger entries `<run id>#<n>`).
 */
import type { VerdictEvidence } from '../../engine/analysis/verdict.js';
import { alignedForPbo, LEDGER_BLOCKS } from '../../engine/ledger.js';
import { averageCorrelationOfBlocks } from '../../engine/validation/correlation.js';
import { returnMoments } from '../../engine/validation/moments.js';
import { pbo } from '../../engine/validation/pbo.js';
import { minTrl, psr, sharpeStdError, type SharpeSample } from '../../engine/validation/sharpe-stats.js';
import type { LedgerEntry } from '../../storage/ledger.js';
import type { App } from '../app.js';
import { familyView, type FamilyView } from '../ledger.js';
import { deflateEvidence, dsrDetail } from '../selection.js';
import type { PeriodBasis } from './sections.js';
import type { Subject } from './types.js';

export interface SelectionOutput {
  readonly sharpe_inference: Record<string, unknown>;
  readonly dsr: Record<string, unknown> | null;
  readonly pbo: Record<string, unknown> | null;
  readonly evidence: VerdictEvidence;
  readonly warnings: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** One entry per distinct configuration (the first recorded), in ledger order. */
export function distinctConfigurations(entries: readonly LedgerEntry[]): LedgerEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.params_hash) ? false : (seen.add(e.params_hash), true)));
}

function inference(p: PeriodBasis, warnings: string[]): { sample: SharpeSample | null; section: Record<string, unknown> } {
  const m = returnMoments(p.returns);
  warnings.push(...m.warnings);
  if (m.sharpe === null || m.skew === null || m.kurtosisRaw === null) {
    return { sample: null, section: { periods: m.n, sr_per_period: null, psr0: null, min_trl_periods: null, note: 'Sharpe undefined: PSR and MinTRL cannot be computed' } };
  }
  const sample: SharpeSample = { sr: m.sharpe, t: m.n, skew: m.skew, kurtosisRaw: m.kurtosisRaw };
  const trl = minTrl({ ...sample, alpha: 0.05 });
  if (trl === null) warnings.push('MinTRL undefined: the Sharpe ratio is not above 0, no track record is long enough');
  return {
    sample,
    section: {
      periods: m.n,
      periods_per_year: p.periodsPerYear,
      sr_per_period: m.sharpe,
      sharpe_annualised: m.sharpe * Math.sqrt(p.periodsPerYear),
      skew: m.skew,
      kurtosis_raw: m.kurtosisRaw,
      kurtosis_excess: m.kurtosisRaw - 3,
      sr_std_error: sharpeStdError(sample),
      psr0: psr(sample),
      min_trl_periods: trl,
      min_trl_years: trl === null ? null : trl / p.periodsPerYear,
      track_record_years: m.n / p.periodsPerYear,
      track_record_sufficient: trl === null ? false : m.n >= trl,
      definitions: 'per-period (end-of-day) Sharpe; PSR(0) = P(true SR > 0); MinTRL at 95 % confidence, in periods (Bailey & López de Prado 2012)',
    },
  };
}

/**
 * The DSR of the analysed curve for its selection set (research/selection.ts), with the
 * effective-N heuristic from the block mean returns of the configurations in its own ledger
 * family (same strategy, dataset and range: the only ones whose blocks share its calendar).
 */
function ledgerDsr(app: App, s: Subject, sample: SharpeSample, warnings: string[]): { section: Record<string, unknown>; evidence: VerdictEvidence['dsr'] } {
  const scope = s.scope!;
  const view = s.family ? familyView(app, s.family) : null;
  const blocks = view ? distinctConfigurations(view.entries).filter((e) => e.blocks.length === LEDGER_BLOCKS).map((e) => e.blocks) : [];
  const corr = blocks.length >= 2 ? averageCorrelationOfBlocks(blocks) : null;
  const r = deflateEvidence(app, scope, sample, corr?.rho ?? null);
  warnings.push(...r.warnings);
  if (r.n === 1 && r.selection.configurations === 0) warnings.push('the analysed curve is not in the trial ledger: N = 1, so the DSR equals PSR(0) and is an upper bound');
  if (corr) warnings.push(...corr.warnings.map((w) => `effective N (heuristic): ${w}`));
  return {
    section: {
      ...dsrDetail(r),
      definitions:
        "DSR = P(true SR > SR₀), SR₀ = expected maximum per-period Sharpe of N no-skill configurations (Bailey & López de Prado 2014). N = distinct configurations in the selection set; the verdict uses the no-skill variant (V₀ = 1/(T − 1)); the cross-sectional variant (V = the members' Sharpe variance) is reported beside it",
    },
    evidence: { value: r.dsr, n: r.n, nSource: `${r.evidence} evidence: ${r.selection.configurations} configuration(s) on overlapping bars; no-skill V₀` },
  };
}

function trialNumber(sourceId: string): number {
  const k = sourceId.lastIndexOf('#');
  const v = Number(sourceId.slice(k + 1));
  return Number.isFinite(v) ? v : Number.MAX_SAFE_INTEGER;
}

/** PBO over an optimize run's trials in the family (one column per distinct configuration). */
export function optimizationPbo(view: FamilyView, runId: string, warnings: string[]): Record<string, unknown> | null {
  const prefix = `${runId}#`;
  const trials = distinctConfigurations(view.entries.filter((e) => e.source_kind === 'trial' && e.source_id.startsWith(prefix))).sort(
    (a, b) => trialNumber(a.source_id) - trialNumber(b.source_id),
  );
  const { aligned: usable, misaligned } = alignedForPbo(trials);
  if (misaligned > 0) warnings.push(`PBO: ${misaligned} trial(s) whose block moments cover another calendar (recorded before bankrupt days were kept) are left out`);
  if (usable.length < 2) {
    warnings.push(`PBO undefined: optimize run ${runId} has ${usable.length} trial(s) with ${LEDGER_BLOCKS} block moments in the ledger (at least 2 needed)`);
    return null;
  }
  const r = pbo(
    usable.map((e) => e.blocks),
    { metric: 'sharpe' },
  );
  warnings.push(...r.warnings);
  return {
    ...r,
    most_selected: r.most_selected.map((m) => ({ trial_number: trialNumber(usable[m.trial].source_id), share: m.share })),
    optimize_run_id: runId,
    trials_in_ledger: trials.length,
    trials_without_blocks: trials.length - usable.length,
    definitions: `CSCV over ${LEDGER_BLOCKS} blocks of end-of-day returns, all C(${LEDGER_BLOCKS}, ${LEDGER_BLOCKS / 2}) splits; PBO = share of splits whose in-sample best trial ranks below the out-of-sample median`,
  };
}

export function selectionSection(app: App, s: Subject, p: PeriodBasis): SelectionOutput {
  const warnings: string[] = [];
  const inf = inference(p, warnings);
  const psr0 = (inf.section.psr0 as number | null) ?? null;
  let dsr: SelectionOutput['dsr'] = null;
  let dsrEvidence: VerdictEvidence['dsr'] = null;
  let pboOut: SelectionOutput['pbo'] = null;
  if (s.scope && inf.sample) {
    const d = ledgerDsr(app, s, inf.sample, warnings);
    dsr = d.section;
    dsrEvidence = d.evidence;
  } else if (s.info.kind === 'inline') {
    warnings.push('DSR undefined for inline data: there is no trial ledger saying how many configurations were tried');
  } else if (!inf.sample) warnings.push('DSR undefined: the Sharpe ratio of the analysed curve is undefined');

  const view = s.family ? familyView(app, s.family) : null;
  if (s.optimizeRunId && view) pboOut = optimizationPbo(view, s.optimizeRunId, warnings);
  return {
    sharpe_inference: inf.section,
    dsr,
    pbo: pboOut,
    evidence: {
      trades: s.trades.length,
      psr: psr0,
      dsr: dsrEvidence,
      pbo: (pboOut?.pbo as number | undefined) ?? null,
      pboOosLoss: (pboOut?.prob_oos_loss as number | undefined) ?? null,
      wfe: s.walkForward?.wfe ?? null,
    },
    warnings,
  };
}
