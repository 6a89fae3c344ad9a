/**
 * Walk-forward reporting: the stitched out-of-sample curve and its statistics (Sharpe,
 * t-statistic, PSR, and the DSR deflated for the out-of-sample evaluations made on
 * overlapping bars — research/selection.ts; not for this run's in-sample trials, which the
 * curve was never selected from), per-window IS vs OOS with degradation, WFE as a ratio of
 * sums, and parameter drift across windows.
 */
import type { BacktestResult, Metrics, Trade } from '../../engine/backtest/types.js';
import { ledgerStats, type LedgerStats } from '../../engine/ledger.js';
import { drawdownStats } from '../../engine/metrics/drawdown.js';
import { tradeStats } from '../../engine/metrics/trades.js';
import type { SplitWindow } from '../../engine/validation/splits.js';
import { annualizedReturn, equityReturns, stitchEquity, walkForwardEfficiency } from '../../engine/validation/wfe.js';
import type { App } from '../app.js';
import { distinctConfigurationsBySourcePrefix } from '../../storage/ledger.js';
import { deflateEvidence, dsrDetail } from '../selection.js';
import { strategySpec } from '../strategies.js';
import type { ResolvedTask } from '../optimize/resolve.js';
import type { WalkForwardRequest } from './job.js';
import type { PreparedWalkForward, WalkForwardStop } from './run.js';

export interface WindowOutcome {
  readonly window: SplitWindow;
  readonly params: Record<string, unknown> | null;
  readonly is: { readonly metrics: Metrics; readonly best_trial_metrics: Record<string, unknown> | null } | null;
  readonly oos: BacktestResult | null;
  readonly trials: number;
  readonly counts: Record<string, number> | null;
  readonly error: string | null;
}

export interface Stitched {
  readonly equity: Float64Array;
  readonly time: Float64Array;
  readonly trades: Trade[];
  readonly metrics: Metrics;
  /** Trial-ledger statistics of the stitched curve (its end-of-day returns). */
  readonly ledger: LedgerStats;
  /** Where the stitched account was wiped out (equity 0 from then on), if it was. */
  readonly ruin: { readonly at: string; readonly window: number } | null;
  readonly warnings: string[];
}

const YEAR_MS = 365.25 * 86_400_000;
const iso = (t: number): string => new Date(t).toISOString();

/** Compounds the windows' OOS returns into one curve; trades re-indexed onto it. */
export function stitchWindows(base: ResolvedTask, outcomes: readonly WindowOutcome[]): Stitched | null {
  const used = outcomes.filter((o) => o.oos !== null);
  if (used.length === 0) return null;
  const t = base.candles.time;
  const segments = used.map((o) => equityReturns((o.oos as BacktestResult).equity));
  const equity = stitchEquity(segments, base.execution.cash);
  const time = new Float64Array(equity.length);
  const trades: Trade[] = [];
  time[0] = t[used[0].window.oosStart];
  let k = 0;
  for (const o of used) {
    const w = o.window;
    for (let b = w.oosStart + 1; b < w.oosEnd; b++) time[++k] = t[b];
    const offset = k - (w.oosEnd - w.oosStart - 1);
    for (const tr of (o.oos as BacktestResult).trades) trades.push({ ...tr, entry_bar: tr.entry_bar + offset, exit_bar: tr.exit_bar + offset });
  }
  const ts = tradeStats(trades);
  const dd = drawdownStats(time, equity, false);
  const ls = ledgerStats(time, equity);
  const sharpeAnn = ls.sharpe === null ? null : ls.sharpe * Math.sqrt(ls.periods_per_year);
  const warnings: string[] = [];
  if (ls.sharpe === null) warnings.push('stitched OOS Sharpe undefined (too few periods or zero variance)');
  let ruin: Stitched['ruin'] = null;
  const dead = equity.findIndex((e) => !(e > 0));
  if (dead >= 0) {
    // window j holds stitched points (end of j − 1, end of j]: each adds its bars but its first
    let end = 0;
    const w = used.find((o) => (end += o.window.oosEnd - o.window.oosStart - 1) >= dead) ?? used[used.length - 1];
    ruin = { at: iso(time[dead]), window: w.window.index };
    warnings.push(`ruin: the stitched out-of-sample account was wiped out at ${ruin.at} (window ${ruin.window}); its equity is 0 from then on and later windows add nothing`);
  }
  const metrics: Metrics = {
    return_pct: (equity[equity.length - 1] / equity[0] - 1) * 100,
    equity_final: equity[equity.length - 1],
    sharpe: sharpeAnn,
    max_drawdown_pct: -dd.maxDrawdown * 100,
    trades: ts.count,
    win_rate_pct: ts.count ? ts.winRate * 100 : null,
    periods: ls.n_periods,
    periods_per_year: ls.periods_per_year,
  };
  return { equity, time, trades, metrics, ledger: ls, ruin, warnings };
}

/**
 * A window's headline metrics, plus the metrics its objectives and constraints name (e.g.
 * brier, ece), so a study tuned on them shows them in and out of sample.
 */
function windowMetrics(m: Metrics, base: ResolvedTask): Record<string, number | null> {
  const out: Record<string, number | null> = { return_pct: m.return_pct ?? null, sharpe: m.sharpe ?? null, max_drawdown_pct: m.max_drawdown_pct ?? null, trades: m.trades ?? null };
  for (const k of [...base.objectives.map((o) => o.metric), ...base.constraints.map((c) => c.metric)]) if (!(k in out)) out[k] = m[k] ?? null;
  return out;
}

function years(base: ResolvedTask, from: number, to: number): number {
  return (base.candles.time[to - 1] - base.candles.time[from]) / YEAR_MS;
}

function drift(outcomes: readonly WindowOutcome[], base: ResolvedTask): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rows = outcomes.filter((o) => o.params !== null);
  for (const key of Object.keys(base.space)) {
    const vals = rows.map((o) => key.split('.').reduce<unknown>((a, s) => (a !== null && typeof a === 'object' ? (a as Record<string, unknown>)[s] : undefined), o.params));
    const spec = base.space[key];
    if (spec.type === 'categorical' || vals.some((v) => typeof v !== 'number')) {
      let changes = 0;
      for (let i = 1; i < vals.length; i++) if (JSON.stringify(vals[i]) !== JSON.stringify(vals[i - 1])) changes++;
      out[key] = { values: vals, changes };
      continue;
    }
    const xs = vals as number[];
    const width = spec.high - spec.low || 1;
    let step = 0;
    for (let i = 1; i < xs.length; i++) step += Math.abs(xs[i] - xs[i - 1]);
    const mean = xs.reduce((s, x) => s + x, 0) / (xs.length || 1);
    out[key] = {
      values: xs,
      min: Math.min(...xs),
      max: Math.max(...xs),
      mean,
      /** mean |change| between consecutive windows, as a fraction of the search range */
      mean_abs_change_of_range: xs.length > 1 ? step / (xs.length - 1) / width : 0,
    };
  }
  return out;
}

export function walkForwardReport(app: App, req: WalkForwardRequest, prep: PreparedWalkForward, outcomes: readonly WindowOutcome[], stitched: Stitched | null, runId: string, stopped: WalkForwardStop): Record<string, unknown> {
  const { base } = prep;
  const t = base.candles.time;
  const perWindow = outcomes.map((o) => {
    const w = o.window;
    const isRet = o.is ? ((o.is.metrics.return_pct ?? 0) as number) / 100 : null;
    const oosRet = o.oos ? ((o.oos.metrics.return_pct ?? 0) as number) / 100 : null;
    const isSh = o.is?.metrics.sharpe ?? null;
    const oosSh = o.oos?.metrics.sharpe ?? null;
    return {
      index: w.index,
      is: { from: iso(t[w.isStart]), to: iso(t[w.isEnd - 1]), bars: w.isEnd - w.isStart },
      oos: { from: iso(t[w.oosStart]), to: iso(t[w.oosEnd - 1]), bars: w.oosEnd - w.oosStart },
      overlaps: w.overlaps,
      trials: o.trials,
      counts: o.counts,
      params: o.params,
      is_metrics: o.is ? windowMetrics(o.is.metrics, base) : null,
      oos_metrics: o.oos ? windowMetrics(o.oos.metrics, base) : null,
      degradation: {
        sharpe: isSh !== null && oosSh !== null ? oosSh - isSh : null,
        return_ann_is: isRet === null ? null : annualizedReturn(isRet, years(base, w.isStart, w.isEnd)),
        return_ann_oos: oosRet === null ? null : annualizedReturn(oosRet, years(base, w.oosStart, w.oosEnd)),
      },
      error: o.error,
    };
  });
  const wfe = walkForwardEfficiency(
    perWindow.filter((p) => p.degradation.return_ann_is !== null && p.degradation.return_ann_oos !== null).map((p) => ({ isReturnAnn: p.degradation.return_ann_is as number, oosReturnAnn: p.degradation.return_ann_oos as number })),
  );
  const nTrials = outcomes.reduce((s, o) => s + o.trials, 0);
  const oosStats = stitched ? outOfSampleStats(app, prep, stitched) : null;
  const last = [...outcomes].reverse().find((o) => o.params !== null);
  return {
    strategy: base.strategy.name,
    ...strategySpec(base.strategy),
    dataset_id: base.dataset.id,
    symbol: base.dataset.symbol,
    timeframe: base.dataset.timeframe,
    synthetic_data: base.dataset.is_synthetic,
    mode: req.mode,
    is: req.is,
    oos_length: req.oos,
    step: req.step ?? req.oos,
    purge: req.purge,
    embargo: req.embargo,
    overlapping_oos: outcomes.some((o) => o.window.overlaps),
    params_source: prep.fixedParams ? (prep.fixedParams.champion_version !== null ? `champion v${prep.fixedParams.champion_version}` : 'fixed params') : 'optimised per window',
    champion_version: prep.fixedParams?.champion_version ?? null,
    seed: req.seed,
    windows: outcomes.length,
    is_trials: nTrials,
    is_configurations: prep.fixedParams ? 0 : windowConfigurations(app, runId),
    windows_skipped: prep.skipped,
    windows_planned: prep.windows.length,
    stopped_early: outcomes.length < prep.windows.length,
    stopped,
    oos: oosStats,
    wfe: wfe.wfe,
    wfe_detail: { n_used: wfe.n_used, n_na: wfe.n_na, warnings: wfe.warnings },
    parameter_drift: drift(outcomes, base),
    final_params: last?.params ?? null,
    per_window: perWindow,
  };
}

/** Distinct configurations tried by the in-sample studies of a walk-forward run's windows. */
function windowConfigurations(app: App, runId: string): number {
  return distinctConfigurationsBySourcePrefix(app.db, 'wf_trial', `${runId}#w`);
}

/** The stitched curve's statistics; its DSR is deflated for the OOS evaluations on its bars. */
function outOfSampleStats(app: App, prep: PreparedWalkForward, stitched: Stitched): Record<string, unknown> {
  const ls = stitched.ledger;
  const warnings = [...stitched.warnings];
  let dsr = null;
  if (ls.sharpe !== null && ls.skew !== null && ls.kurtosis_raw !== null && ls.n_periods > 2) {
    const ds = prep.base.dataset;
    dsr = deflateEvidence(
      app,
      { kind: prep.fixedParams ? 'fixed_walk_forward' : 'walk_forward_oos', symbol: ds.symbol, timeframe: ds.timeframe, from: stitched.time[0], to: stitched.time[stitched.time.length - 1] },
      { sr: ls.sharpe, t: ls.n_periods, skew: ls.skew, kurtosisRaw: ls.kurtosis_raw },
    );
    warnings.push(...dsr.warnings);
  } else warnings.push(`DSR undefined: the stitched curve's per-period Sharpe is undefined (${ls.n_periods} periods)`);
  return {
    from: iso(stitched.time[0]),
    to: iso(stitched.time[stitched.time.length - 1]),
    bars: stitched.equity.length,
    trades: stitched.metrics.trades,
    return_pct: stitched.metrics.return_pct,
    sharpe: stitched.metrics.sharpe,
    sharpe_per_period: ls.sharpe,
    periods: ls.n_periods,
    t_stat: dsr?.t_stat ?? null,
    psr: dsr?.psr0 ?? null,
    dsr: dsr?.dsr ?? null,
    dsr_n: dsr?.n ?? null,
    dsr_detail: dsr ? dsrDetail(dsr) : null,
    max_drawdown_pct: stitched.metrics.max_drawdown_pct,
    ruin: stitched.ruin,
    open_positions: 'a position still open at the end of an out-of-sample window is closed at that window\'s last bar with exit costs (finalize_trades) and counted in the trade statistics',
    warnings,
  };
}
