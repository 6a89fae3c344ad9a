/**
 * Deep analysis, selection bias (STATISTICS.md): PSR(0) and MinTRL of the analysed curve's
 * end-of-day returns; the DSR deflated by its trial-ledger family (N = distinct
 * configurations tried in the family, V = variance of their per-period Sharpes, plus an
 * effective N from the average correlation of the trials' block mean returns); and PBO by
 * exact CSCV over the trials of an optimize run (ledger entries `<run id>#<n>`).
 *
 * The verdict uses the NOMINAL N (the conservative one; N_eff ≤ N is reported beside it).
 */
import type { VerdictEvidence } from '../../engine/analysis/verdict.js';
import { LEDGER_BLOCKS } from '../../engine/ledger.js';
import { averageCorrelationOfBlocks } from '../../engine/validation/correlation.js';
import { returnMoments } from '../../engine/validation/moments.js';
import { pbo } from '../../engine/validation/pbo.js';
import { selectionBias } from '../../engine/validation/selection-bias.js';
import { minTrl, psr, sharpeStdError, type SharpeSample } from '../../engine/validation/sharpe-stats.js';
import type { LedgerEntry } from '../../storage/ledger.js';
import type { App } from '../app.js';
import { familyView, type FamilyView } from '../ledger.js';
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

function familyLabel(view: FamilyView, s: Subject): Record<string, unknown> {
  const f = s.family!;
  return {
    id: view.family_id,
    strategy: f.strategy,
    dataset_hash: f.dataset_hash.slice(0, 16),
    range_from: iso(f.range_from),
    range_to: iso(f.range_to),
    entries: view.counts.entries,
    configurations: view.counts.configurations,
    by_source: view.counts.by_source,
  };
}

function ledgerDsr(s: Subject, view: FamilyView, sample: SharpeSample, warnings: string[]): { section: Record<string, unknown>; evidence: VerdictEvidence['dsr'] } {
  const distinct = distinctConfigurations(view.entries);
  const inLedger = view.family_id !== null && distinct.length > 0;
  const n = inLedger ? view.counts.configurations : 1;
  if (!inLedger) warnings.push('the analysed run is not in the trial ledger: N = 1, so the DSR equals PSR(0) and is an upper bound');
  const blocks = distinct.filter((e) => e.blocks.length === LEDGER_BLOCKS).map((e) => e.blocks);
  const corr = blocks.length >= 2 ? averageCorrelationOfBlocks(blocks) : null;
  const bySource = Object.entries(view.counts.by_source).map(([k, v]) => `${k} ${v}`).join(', ');
  const source = inLedger
    ? `ledger family ${view.family_id}: ${n} distinct configuration(s) in ${view.counts.entries} entries (${bySource})`
    : 'not in the ledger: N = 1';
  const sb = selectionBias({ sample, trialSharpes: distinct.map((e) => e.sharpe ?? NaN), nTrials: n, avgCorrelation: corr?.rho ?? null, nSource: source, use: 'nominal' });
  warnings.push(...sb.warnings.filter((w) => !w.startsWith('no average correlation') || n > 1));
  if (corr) warnings.push(...corr.warnings.map((w) => `effective N: ${w}`));
  const trim = (d: typeof sb.dsr_nominal | null) => (d ? { dsr: d.dsr, sr0: d.sr0, z: d.z, n_used: d.n_used, n_source: d.n_source } : null);
  return {
    section: {
      family: inLedger ? familyLabel(view, s) : null,
      n_nominal: sb.n_nominal,
      n_effective: sb.n_effective,
      avg_correlation: sb.avg_correlation,
      correlation_basis: corr ? `block mean returns (${LEDGER_BLOCKS} blocks per configuration; an approximation)` : null,
      sr_variance: sb.sr_variance,
      dsr_nominal: trim(sb.dsr_nominal),
      dsr_effective: trim(sb.dsr_effective),
      used: sb.used,
      n_used: sb.used === 'effective' ? sb.n_effective : sb.n_nominal,
      n_source: source,
      dsr: sb.dsr,
      definitions: 'DSR = P(true SR > SR₀), SR₀ = expected max per-period Sharpe of N null trials with the family\'s Sharpe variance (Bailey & López de Prado 2014); the verdict uses the nominal N',
    },
    evidence: { value: sb.dsr, n: n, nSource: inLedger ? `ledger family ${view.family_id}` : 'not in the ledger' },
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
  const usable = trials.filter((e) => e.blocks.length === LEDGER_BLOCKS);
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
  const view = s.family ? familyView(app, s.family) : null;
  if (s.family && view && inf.sample) {
    const d = ledgerDsr(s, view, inf.sample, warnings);
    dsr = d.section;
    dsrEvidence = d.evidence;
  } else if (s.walkForward) {
    const wf = s.walkForward;
    if (wf.dsr !== null) {
      dsr = { dsr: wf.dsr, n_used: wf.nTrials, n_source: 'walk-forward run summary (N = all trials across windows)', used: 'nominal' };
      dsrEvidence = { value: wf.dsr, n: wf.nTrials ?? 1, nSource: wf.nTrials === null ? 'walk-forward summary; N not stated' : 'walk-forward summary' };
    } else warnings.push('DSR undefined: the walk-forward run summary carries no out-of-sample DSR');
  } else if (s.info.kind === 'inline') {
    warnings.push('DSR undefined for inline data: there is no trial ledger saying how many configurations were tried');
  } else if (!inf.sample) warnings.push('DSR undefined: the Sharpe ratio of the analysed curve is undefined');

  if (s.optimizeRunId && view) pboOut = optimizationPbo(view, s.optimizeRunId, warnings);
  return {
    sharpe_inference: inf.section,
    dsr,
    pbo: pboOut,
    evidence: { trades: s.trades.length, psr: psr0, dsr: dsrEvidence, pbo: (pboOut?.pbo as number | undefined) ?? null, wfe: s.walkForward?.wfe ?? null },
    warnings,
  };
}
