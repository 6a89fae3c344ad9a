/**
 * Deflating a Sharpe ratio for the selection that produced it (STATISTICS.md, DSR). Each kind
 * of evidence has its own selection set in the trial ledger — always the configurations
 * evaluated on bars overlapping the evidence's bars, of the same symbol and timeframe, in
 * any range, dataset version or strategy (so N cannot be reset by shifting a date, importing
 * a new version or switching strategy), pruned and failed trials included:
 *
 * | evidence | counted entries |
 * |---|---|
 * | `in_sample` (a study's best trial), `backtest` (a stored backtest, a batch item) | every kind |
 * | `holdout` (a backtest after the candidate's in-sample range), `fixed_walk_forward` (a walk-forward of given params) | every kind but walk-forward internals (`wf_trial`, `wf_window`): their searches chose params for *other* bars |
 * | `walk_forward_oos` (the stitched OOS curve of a walk-forward that optimises per window) | out-of-sample and fixed-configuration evaluations: `wf_oos`, `holdout`, `backtest`, `batch_item` — never optimisation trials, which the curve was not selected from |
 *
 * N = distinct (strategy, params) members; the DSR that verdicts and gates use deflates with
 * V₀ = 1/(T − 1) (engine/validation/selection-bias.ts says why); the cross-sectional V of the
 * members' Sharpes is reported beside it.
 */
import type { SharpeSample } from '../engine/validation/sharpe-stats.js';
import { selectionBias, type SelectionBiasReport } from '../engine/validation/selection-bias.js';
import { selectionSet, type SelectionSet } from '../storage/ledger-selection.js';
import type { LedgerSource } from '../storage/ledger.js';
import type { App } from './app.js';

export const EVIDENCE_KINDS = ['in_sample', 'backtest', 'holdout', 'fixed_walk_forward', 'walk_forward_oos'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

const NOT_WF_INTERNAL: readonly LedgerSource[] = ['backtest', 'batch_item', 'trial', 'holdout', 'wf_oos'];
const OOS_UNITS: readonly LedgerSource[] = ['wf_oos', 'holdout', 'backtest', 'batch_item'];

const RULES: Record<EvidenceKind, { readonly kinds: readonly LedgerSource[] | null; readonly counts: string }> = {
  in_sample: { kinds: null, counts: 'every configuration evaluated (trials incl. pruned and failed, backtests, batch items, walk-forward trials and windows, holdouts)' },
  backtest: { kinds: null, counts: 'every configuration evaluated (trials incl. pruned and failed, backtests, batch items, walk-forward trials and windows, holdouts)' },
  holdout: { kinds: NOT_WF_INTERNAL, counts: "every configuration evaluated except walk-forward internals (trials, backtests, batch items, holdouts, walk-forward curves)" },
  fixed_walk_forward: { kinds: NOT_WF_INTERNAL, counts: 'every configuration evaluated except walk-forward internals (trials, backtests, batch items, holdouts, walk-forward curves)' },
  walk_forward_oos: { kinds: OOS_UNITS, counts: 'out-of-sample and fixed-configuration evaluations (walk-forward curves, holdouts, backtests, batch items); not optimisation trials, which this curve was not selected from' },
};

export interface EvidenceScope {
  readonly kind: EvidenceKind;
  readonly symbol: string;
  readonly timeframe: string;
  /** Epoch ms of the first and last bar of the evidence. */
  readonly from: number;
  readonly to: number;
}

/** The selection set behind a DSR, as results report it. */
export interface SelectionInfo {
  readonly evidence: EvidenceKind;
  readonly symbol: string;
  readonly timeframe: string;
  readonly from: string;
  readonly to: string;
  readonly counts: string;
  readonly configurations: number;
  readonly entries: number;
  readonly by_source: Record<string, number>;
  /** Configurations whose every entry was pruned / failed (counted in N, no Sharpe). */
  readonly only_pruned: number;
  readonly only_failed: number;
  readonly families: number;
}

export interface DsrReport extends SelectionBiasReport {
  readonly evidence: EvidenceKind;
  /** A sentence: where N came from. */
  readonly n_source: string;
  readonly v_source: string;
  readonly selection: SelectionInfo;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function selectionFor(app: App, scope: EvidenceScope): { set: SelectionSet; info: SelectionInfo } {
  const rule = RULES[scope.kind];
  const set = selectionSet(app.db, { symbol: scope.symbol, timeframe: scope.timeframe, from: scope.from, to: scope.to, kinds: rule.kinds ?? undefined });
  const info: SelectionInfo = {
    evidence: scope.kind,
    symbol: scope.symbol,
    timeframe: scope.timeframe,
    from: iso(scope.from),
    to: iso(scope.to),
    counts: rule.counts,
    configurations: set.members.length,
    entries: set.entries,
    by_source: set.by_source,
    only_pruned: set.members.filter((m) => m.pruned === m.entries).length,
    only_failed: set.members.filter((m) => m.failed === m.entries).length,
    families: set.families,
  };
  return { set, info };
}

/**
 * The DSR of `sample` (per-period SR of the evidence curve) for its selection set. The
 * candidate itself is a member when it was recorded; N is at least 1 either way.
 */
export function deflateEvidence(app: App, scope: EvidenceScope, sample: SharpeSample, avgCorrelation?: number | null): DsrReport {
  const { set, info } = selectionFor(app, scope);
  const n = Math.max(1, set.members.length);
  const sharpes = set.members.filter((m) => m.sharpe !== null).map((m) => m.sharpe as number);
  const report = selectionBias({ sample, n, memberSharpes: sharpes, avgCorrelation });
  const bySource = Object.entries(set.by_source).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const extra = [info.only_pruned ? `${info.only_pruned} only pruned` : '', info.only_failed ? `${info.only_failed} only failed` : ''].filter(Boolean).join(', ');
  const nSource =
    set.members.length === 0
      ? `no ledger entry on ${scope.symbol} ${scope.timeframe} overlaps ${info.from} … ${info.to}: N = 1 (no deflation)`
      : `${set.members.length} distinct configuration(s) (strategy + params) on ${scope.symbol} ${scope.timeframe} overlapping ${info.from} … ${info.to}` +
        `${extra ? ` (${extra})` : ''}; ${set.entries} ledger entries: ${bySource}; counted for ${scope.kind} evidence: ${rule(scope.kind)}`;
  return {
    ...report,
    evidence: scope.kind,
    n_source: nSource,
    v_source: `no-skill V₀ = 1/(T − 1) with T = ${sample.t} periods (used); cross-sectional V from ${sharpes.length} member Sharpe ratio(s) reported beside it`,
    selection: info,
  };
}

function rule(kind: EvidenceKind): string {
  return RULES[kind].counts;
}

/** The compact form results embed (`dsr_detail`): enough to recompute and to audit. */
export function dsrDetail(r: DsrReport): Record<string, unknown> {
  return {
    dsr: r.dsr,
    used: r.used,
    evidence: r.evidence,
    n: r.n,
    n_source: r.n_source,
    v: r.v,
    v_source: r.v_source,
    sr0: r.sr0,
    sr_per_period: r.sr,
    periods: r.t,
    psr0: r.psr0,
    no_skill: r.no_skill,
    cross_sectional: r.cross_sectional,
    effective_n_heuristic: r.effective
      ? { n: r.effective.n, avg_correlation: r.effective.avg_correlation, dsr: r.effective.dsr, note: 'N_eff = ρ̄ + (1 − ρ̄)·N from the average correlation of block mean returns: a heuristic, reported only; no verdict uses it' }
      : null,
    selection: r.selection,
  };
}
