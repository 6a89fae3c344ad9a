/**
 * A stored backtest run's result with its per-bar equity curve, whether the curve was stored
 * or not. Backtests and batch items do not store it (storage/run-results.ts; runs stored
 * before migration 010 did, and keep it): here it is recomputed from the run's spec —
 * strategy, params, execution spec, dataset and range — after checking that the spec still
 * resolves to the run's fingerprint (same engine version, same dataset content), and the
 * recomputed metrics must equal the stored ones. A run that cannot be reproduced is an error
 * saying why, never a different curve. The last few recomputed curves are kept per app, so
 * paging through one (`get_run` include=equity) recomputes it once.
 */
import { runBacktest } from '../engine/backtest/run.js';
import type { Metrics } from '../engine/backtest/types.js';
import { loadBacktestEquity, loadBacktestResult, type StoredBacktest } from '../storage/run-results.js';
import { getRun, type RunRow } from '../storage/runs.js';
import type { App } from './app.js';
import { resolveBacktest } from './backtest.js';
import { datasetCandles, type ResolvedRange } from './datasets.js';
import { sliceByTime, type Candles } from '../engine/data/candles.js';
import { getDataset, type DatasetRow } from '../storage/datasets.js';
import { UserError } from './errors.js';

interface BacktestRunSpec {
  readonly strategy: string;
  readonly params: Record<string, unknown>;
  readonly execution: unknown;
  readonly dataset_id: number;
  readonly range: ResolvedRange;
  /** A language strategy's recorded definition (research/strategies.ts strategySpec). */
  readonly strategy_definition?: unknown;
  readonly strategy_document?: unknown;
}

/** Recomputed curves kept per app (run id → equity), most recent last. */
const RECENT = 4;
const recent = new WeakMap<App, Map<string, Float64Array>>();

function cannot(run: RunRow, why: string): UserError {
  return new UserError(`run ${run.id}'s equity curve was not stored (the engine recomputes it on demand) and cannot be recomputed: ${why}`, {
    field: 'run_id',
    value: run.id,
    hint: 'run the same backtest again (backtest, or backtest_batch) to get a run of the current engine and data',
  });
}

/** The per-bar equity of a run stored without it, recomputed and checked against the run. */
export function recomputeEquity(app: App, run: RunRow, stored: { readonly metrics: Metrics }): Float64Array {
  let byRun = recent.get(app);
  const hit = byRun?.get(run.id);
  if (hit) return hit.slice(); // a copy: callers may not share the kept curve
  const spec = run.spec as Partial<BacktestRunSpec>;
  if (typeof spec.strategy !== 'string' || typeof spec.dataset_id !== 'number' || !spec.range) throw cannot(run, 'its spec lacks the strategy, dataset or range');
  let resolved;
  try {
    // the stored range as it is (epoch ms, no re-parsing); the bar limit of its day applied then
    resolved = resolveBacktest(
      app,
      { strategy: spec.strategy, strategy_definition: spec.strategy_definition, strategy_document: spec.strategy_document, params: spec.params, execution: spec.execution, dataset_id: spec.dataset_id },
      { range: spec.range, limits: false },
    );
  } catch (e) {
    throw cannot(run, e instanceof UserError ? e.describe() : String(e));
  }
  if (resolved.fingerprint !== run.fingerprint) {
    throw cannot(run, 'its spec no longer gives the fingerprint it ran with (the engine version or the dataset content changed since)');
  }
  const r = runBacktest(resolved.candles, resolved.strategy, resolved.params, resolved.execution);
  if (JSON.stringify(r.metrics) !== JSON.stringify(stored.metrics)) {
    throw cannot(run, 'recomputing it gave metrics different from the stored ones');
  }
  if (!byRun) {
    byRun = new Map();
    recent.set(app, byRun);
  }
  byRun.set(run.id, r.equity.slice());
  if (byRun.size > RECENT) byRun.delete(byRun.keys().next().value as string);
  return r.equity;
}

/** A backtest run's equity curve and bar times (recomputed when not stored), without its trades. */
export function loadRunEquity(app: App, runId: string): { readonly equity: Float64Array; readonly equity_time: Float64Array | null } | undefined {
  const r = loadBacktestEquity(app.db, runId);
  if (!r) return undefined;
  if (r.equity !== null) return { equity: r.equity, equity_time: r.equity_time };
  const run = getRun(app.db, runId);
  return run ? { equity: recomputeEquity(app, run, r), equity_time: r.equity_time } : undefined;
}

/** A backtest run's stored result with its equity curve (recomputed when not stored), or undefined. */
export function loadRunResult(app: App, runId: string): StoredBacktest | undefined {
  const r = loadBacktestResult(app.db, runId);
  if (!r) return undefined;
  if (r.equity !== null) return { ...r, equity: r.equity };
  const run = getRun(app.db, runId);
  if (!run) return undefined;
  return { ...r, equity: recomputeEquity(app, run, r) };
}

/** The bars a stored run covered: its dataset over its recorded range (what its equity curve spans). */
export function runBars(app: App, run: RunRow): { bars: Candles; dataset: DatasetRow } {
  const dataset = getDataset(app.db, Number(run.spec.dataset_id ?? run.dataset_id));
  if (!dataset) throw new UserError(`the dataset of run ${run.id} is gone`, { field: 'run_id', value: run.id });
  const range = (run.spec.range ?? {}) as { from?: unknown; to?: unknown };
  const bound = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  return { bars: sliceByTime(datasetCandles(app, dataset), bound(range.from), bound(range.to)), dataset };
}
