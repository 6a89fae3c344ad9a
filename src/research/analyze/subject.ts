/**
 * Turning a run id into the equity curve to analyse:
 * - `backtest`: its stored equity over the dataset bars of its range; a backtest whose
 *   parent is an optimize run brings that run's trials for PBO;
 * - `optimize`: the best trial's stored backtest (`summary.best.run_id`), with PBO from the
 *   run's trials (ledger entries `<run id>#<n>`);
 * - `walk_forward`: the stitched out-of-sample curve (`run_results` with `equity_time`),
 *   with the WFE its summary carries.
 * Each subject says what its curve is evidence of (`scope`), which decides the DSR's
 * selection set (research/selection.ts).
 */
import { lowerBound } from '../../engine/data/candles.js';
import { getDataset, type DatasetRow } from '../../storage/datasets.js';
import type { StoredBacktest } from '../../storage/run-results.js';
import { loadRunResult } from '../run-result.js';
import { findRun, requireRun, type RunRow } from '../runs.js';
import type { App } from '../app.js';
import { datasetCandles, selectRange, type ResolvedRange } from '../datasets.js';
import { UserError } from '../errors.js';
import { resolveExecution } from '../execution.js';
import { familyKey } from '../ledger.js';
import { entriesBySource } from '../../storage/ledger.js';
import type { EvidenceKind } from '../selection.js';
import { resolveParams } from '../strategy-params.js';
import { recordedStrategy } from '../strategies.js';
import type { Subject, SubjectInfo, WalkForwardEvidence } from './types.js';

function requireResult(app: App, run: RunRow, field: string): StoredBacktest {
  const r = loadRunResult(app, run.id);
  if (!r) {
    throw new UserError(`run ${run.id} (${run.kind}, ${run.status}) has no stored equity curve to analyse`, {
      field,
      value: run.id,
      hint: run.status === 'succeeded' ? 'it may have been stored with store: false' : 'wait until it has succeeded (get_run reports its status)',
    });
  }
  return r;
}

function datasetOf(app: App, run: RunRow, field: string): DatasetRow {
  const id = run.dataset_id ?? (typeof run.spec.dataset_id === 'number' ? run.spec.dataset_id : null);
  const ds = id === null ? undefined : getDataset(app.db, id);
  if (!ds) throw new UserError(`the dataset of run ${run.id} (id ${String(id)}) is no longer stored`, { field, value: run.id });
  return ds;
}

function rangeOf(spec: Record<string, unknown>): ResolvedRange {
  const r = spec.range as { from?: unknown; to?: unknown } | undefined;
  const bound = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { from: bound(r?.from), to: bound(r?.to) };
}

function info(kind: SubjectInfo['kind'], asked: RunRow, analysed: RunRow, ds: DatasetRow | null): SubjectInfo {
  const exec = analysed.spec.execution as { profile?: unknown } | undefined;
  return {
    kind,
    run_id: asked.id,
    analyzed_run_id: analysed.id,
    strategy: analysed.strategy ?? (typeof analysed.spec.strategy === 'string' ? analysed.spec.strategy : null),
    params: (analysed.spec.params as Record<string, unknown> | undefined) ?? null,
    dataset: ds ? { id: ds.id, symbol: ds.symbol, timeframe: ds.timeframe, content_hash: ds.content_hash, synthetic: ds.is_synthetic } : null,
    profile: typeof exec?.profile === 'string' ? exec.profile : null,
  };
}

/** A stored backtest run (possibly reached through an optimize run). */
function backtestSubject(app: App, asked: RunRow, run: RunRow, field: string, optimizeRunId: string | null): Subject {
  const result = requireResult(app, run, field);
  const ds = datasetOf(app, run, field);
  const candles = selectRange(datasetCandles(app, ds), rangeOf(run.spec), ds);
  const n = candles.time.length;
  if (result.equity.length !== n) {
    throw new UserError(`run ${run.id}: its equity curve has ${result.equity.length} points but its dataset range has ${n} bars`, {
      field,
      value: run.id,
      hint: 'the run or its dataset was changed outside tradelab; re-run the backtest',
    });
  }
  const strategy = recordedStrategy(run.spec, run.strategy, app.db, field);
  const params = resolveParams(strategy, run.spec.params ?? {});
  const execution = resolveExecution(run.spec.execution ?? {}, `${run.id}.execution`);
  const warnings: string[] = [];
  if (result.open_trades.length > 0) warnings.push(`${result.open_trades.length} trade(s) still open at the end are not in the trade statistics (equity marks them to the last close)`);
  return {
    info: info(asked.kind === 'optimize' ? 'optimize' : 'backtest', asked, run, ds),
    time: candles.time,
    equity: result.equity,
    trades: result.trades,
    openTrades: result.open_trades.length,
    exitReasonsKnown: true,
    warmup: result.warmup,
    close: candles.close,
    riskFree: execution.risk_free_rate,
    family: familyKey(strategy.name, ds.content_hash, candles),
    scope: { kind: backtestEvidenceKind(app, asked, run), symbol: ds.symbol, timeframe: ds.timeframe, from: candles.time[0], to: candles.time[n - 1] },
    optimizeRunId,
    rerun: { candles, strategy, params, execution, storedReturn: result.equity[n - 1] / result.equity[0] - 1 },
    walkForward: null,
    warnings,
  };
}

function numberAt(o: unknown, ...path: string[]): number | null {
  let v: unknown = o;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[k];
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v !== null && typeof v === 'object') {
    const inner = (v as Record<string, unknown>).dsr ?? (v as Record<string, unknown>).value ?? (v as Record<string, unknown>).wfe;
    return typeof inner === 'number' && Number.isFinite(inner) ? inner : null;
  }
  return null;
}

/** WFE as a walk-forward summary states it (the DSR is recomputed from the ledger). */
export function walkForwardEvidence(summary: Record<string, unknown> | null): WalkForwardEvidence {
  return { wfe: numberAt(summary ?? {}, 'wfe') };
}

/**
 * What a stored backtest is evidence of: the best trial of an optimisation (in-sample), a
 * holdout re-run of optimize's validate (its ledger entry says so), or a backtest.
 */
function backtestEvidenceKind(app: App, asked: RunRow, run: RunRow): EvidenceKind {
  if (asked.kind === 'optimize') return 'in_sample';
  return entriesBySource(app.db, 'holdout', run.id).length > 0 ? 'holdout' : 'backtest';
}

function walkForwardSubject(app: App, run: RunRow, field: string): Subject {
  const result = requireResult(app, run, field);
  const time = result.equity_time;
  if (!time || time.length !== result.equity.length) {
    throw new UserError(`walk-forward run ${run.id} has no time axis for its stitched out-of-sample curve`, { field, value: run.id });
  }
  const warnings: string[] = [];
  let ds: DatasetRow | null = null;
  let close: Float64Array | null = null;
  try {
    ds = datasetOf(app, run, field);
    const all = datasetCandles(app, ds);
    const c = new Float64Array(time.length);
    let ok = true;
    for (let i = 0; i < time.length && ok; i++) {
      const j = lowerBound(all.time, time[i]);
      if (j < all.time.length && all.time[j] === time[i]) c[i] = all.close[j];
      else ok = false;
    }
    if (ok) close = c;
    else warnings.push('the stitched curve has times that are not bars of the dataset: no buy & hold benchmark');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    warnings.push(`no buy & hold benchmark: ${e.message}`);
  }
  const fixed = run.spec.params !== undefined && run.spec.params !== null;
  return {
    info: info('walk_forward', run, run, ds),
    time,
    equity: result.equity,
    trades: result.trades,
    openTrades: result.open_trades.length,
    exitReasonsKnown: true,
    warmup: result.warmup,
    close,
    riskFree: 0,
    family: null,
    scope: ds ? { kind: fixed ? 'fixed_walk_forward' : 'walk_forward_oos', symbol: ds.symbol, timeframe: ds.timeframe, from: time[0], to: time[time.length - 1] } : null,
    optimizeRunId: null,
    rerun: null,
    walkForward: walkForwardEvidence(run.summary),
    warnings,
  };
}

/** The subject of one run id (`field` names the input for errors, e.g. `run_ids[2]`). */
export function runSubject(app: App, runId: string, field = 'run_id'): Subject {
  const run = requireRun(app, runId, field);
  if (run.kind === 'backtest') {
    const parent = run.parent_id ? findRun(app, run.parent_id) : undefined;
    return backtestSubject(app, run, run, field, parent?.kind === 'optimize' ? parent.id : null);
  }
  if (run.kind === 'optimize') {
    const best = (run.summary as { best?: { run_id?: unknown } } | null)?.best;
    const bestId = typeof best?.run_id === 'string' ? best.run_id : null;
    if (!bestId) {
      throw new UserError(`optimize run ${run.id} (${run.status}) has no stored best trial to analyse yet`, {
        field,
        value: run.id,
        hint: run.status === 'succeeded' ? 'backtest its best params, then analyse that run' : 'wait until it has finished (get_run reports progress)',
      });
    }
    return backtestSubject(app, run, requireRun(app, bestId, field), field, run.id);
  }
  if (run.kind === 'walk_forward') return walkForwardSubject(app, run, field);
  throw new UserError(`run ${run.id} is a ${run.kind} run, which has no single equity curve to analyse`, {
    field,
    value: run.id,
    expected: 'a backtest, optimize or walk_forward run id',
    hint: run.kind === 'batch' ? 'analyse the batch items by their run ids (run_ids compares up to 10)' : undefined,
  });
}
