/**
 * The backtest journey: resolve dataset and range → strategy params → execution spec →
 * fingerprint → answer from the store if identical, else run the engine and store the run.
 */
import { runBacktest } from '../engine/backtest/run.js';
import type { BacktestResult, ExecutionSpec, Metrics } from '../engine/backtest/types.js';
import type { Candles } from '../engine/data/candles.js';
import type { StrategyDef } from '../engine/strategies/types.js';
import { ENGINE_VERSION } from '../engine/version.js';
import type { DatasetRow } from '../storage/datasets.js';
import { writeTransaction } from '../storage/db.js';
import { insertBacktestRow, loadBacktestResult, serializeBacktest, type LoadedBacktest, type SerializedBacktest, type StoredBacktest } from '../storage/run-results.js';
import { createRun, findRunByFingerprint, updateRun, type RunRow } from '../storage/runs.js';
import type { App } from './app.js';
import { checkBarLimit, datasetCandles, resolveDataset, resolveRange, selectRange, type DatasetRef, type ResolvedRange } from './datasets.js';
import { resolveExecution } from './execution.js';
import { fingerprint } from './fingerprint.js';
import { resolveParams } from './strategy-params.js';
import { recordedStrategy, resolveStrategyInput, strategyKey, strategySpec } from './strategies.js';
import { UserError } from './errors.js';
import { ledgerStats, type LedgerStats } from '../engine/ledger.js';
import { familyKey, recordLedger } from './ledger.js';
import type { LedgerSource } from '../storage/ledger.js';

export interface BacktestRequest extends DatasetRef {
  /** A strategy name, or an inline strategy-language document (compute tier; not stored). */
  readonly strategy: string | Record<string, unknown>;
  /** Set when re-running a stored run: the exact definition it used (see strategySpec). */
  readonly strategy_definition?: unknown;
  readonly strategy_document?: unknown;
  readonly params?: unknown;
  readonly from?: string | number;
  readonly to?: string | number;
  readonly execution?: unknown;
  /** Store the run (default true). */
  readonly store?: boolean;
  readonly parent_id?: string;
  /**
   * How the trial ledger records it: 'backtest' (default), 'holdout' (a top trial re-run on a
   * later holdout), or null for a re-run of a configuration the ledger already holds on the
   * same bars (an optimize run's best trial): the same evaluation is not a second one.
   */
  readonly ledger_source?: LedgerSource | null;
}

/** Everything that determines a backtest's result, after validation. */
export interface ResolvedBacktest {
  readonly dataset: DatasetRow;
  readonly candles: Candles;
  readonly range: ResolvedRange;
  readonly strategy: StrategyDef;
  readonly params: Record<string, unknown>;
  readonly execution: ExecutionSpec;
  readonly fingerprint: string;
}

export interface BacktestOutcome {
  readonly run_id: string | null;
  readonly cached: boolean;
  readonly resolved: ResolvedBacktest;
  /**
   * A fresh run's result; answered from the store (`cached`), its equity curve is null when
   * it was not stored (loadRunEquity / loadRunResult recompute it when it is needed).
   */
  readonly result: LoadedBacktest;
}

/** `strategy` is a StrategyDef (a language strategy's definition hash is part of it) or a built-in's name. */
export function backtestFingerprint(ds: DatasetRow, range: ResolvedRange, strategy: StrategyDef | string, params: unknown, execution: ExecutionSpec): string {
  return fingerprint({ engine: ENGINE_VERSION, dataset: ds.content_hash, range, strategy: strategyKey(strategy), params, execution });
}

/** The strategy of a request: the definition a stored run recorded, an inline document, or a name. */
function requestStrategy(app: App, req: BacktestRequest): StrategyDef {
  if (req.strategy_definition !== undefined || req.strategy_document !== undefined) return recordedStrategy(req, null, app.db, 'strategy');
  return resolveStrategyInput(req.strategy, app.db);
}

/**
 * Validates a request into everything that determines its result. `range` (an already
 * resolved range, e.g. a stored run's) replaces from/to; `limits: false` skips the bar limit
 * (re-running a stored run that was within the limits of its day).
 */
export function resolveBacktest(app: App, req: BacktestRequest, opts: { readonly range?: ResolvedRange; readonly limits?: boolean } = {}): ResolvedBacktest {
  const strategy = requestStrategy(app, req);
  const params = resolveParams(strategy, req.params);
  const execution = resolveExecution(req.execution);
  const dataset = resolveDataset(app, req);
  const range = opts.range ?? resolveRange(req);
  if (opts.limits ?? true) checkBarLimit(app, dataset, range);
  const candles = selectRange(datasetCandles(app, dataset), range, dataset);
  return { dataset, candles, range, strategy, params, execution, fingerprint: backtestFingerprint(dataset, range, strategy, params, execution) };
}

export function toStored(r: BacktestResult): StoredBacktest {
  return {
    metrics: r.metrics,
    warnings: r.warnings,
    trades: r.trades,
    open_trades: r.open_trades,
    skipped: r.skipped,
    equity: r.equity,
    equity_time: null,
    warmup: r.warmup,
  };
}

/** Runs (or recalls) one backtest. Identical requests are answered from the store. */
export function backtest(app: App, req: BacktestRequest): BacktestOutcome {
  const resolved = resolveBacktest(app, req);
  const store = req.store ?? true;
  const hit = findRunByFingerprint(app.db, resolved.fingerprint);
  // the same fingerprint (engine version, dataset content, range, strategy, params,
  // execution) gives the same result: the stored one answers, its curve recomputed only if asked for
  const stored = hit ? loadBacktestResult(app.db, hit.id) : undefined;
  if (hit && stored) return { run_id: hit.id, cached: true, resolved, result: stored };
  const started = app.now();
  const result = toStored(runBacktest(resolved.candles, resolved.strategy, resolved.params, resolved.execution));
  if (!store) {
    // not stored, but still a configuration the caller has seen: the ledger counts it
    if (req.ledger_source !== null) recordLedger(app, {
      key: familyKey(resolved.strategy, resolved.dataset.content_hash, resolved.candles),
      source_kind: req.ledger_source ?? 'backtest',
      source_id: `unstored:${resolved.fingerprint.slice(0, 16)}`,
      params: resolved.params,
      stats: ledgerStats(resolved.candles.time, result.equity),
    });
    return { run_id: null, cached: false, resolved, result };
  }
  const run = storeBacktestRun(app, resolved, result, started, req.parent_id, { ledgerSource: req.ledger_source });
  return { run_id: run.id, cached: false, resolved, result };
}

/** Options of storeBacktestRun: batch items record `batch_item` in the ledger and their index in the spec. */
export interface StoreRunOptions {
  /** Default 'backtest'; null: not recorded (the ledger already holds this evaluation). */
  readonly ledgerSource?: LedgerSource | null;
  /** Extra keys merged into the stored run spec (e.g. `batch_item`). */
  readonly specExtra?: Record<string, unknown>;
  /** Ledger statistics already computed (e.g. by a worker); computed here otherwise. */
  readonly ledger?: LedgerStats | null;
  /**
   * The result already serialised (serializeBacktest), so a writer sharing the database with
   * others holds the write lock only for the inserts; it then decides what is stored.
   */
  readonly serialized?: SerializedBacktest;
}

export function storeBacktestRun(app: App, r: ResolvedBacktest, result: StoredBacktest, started: number, parentId?: string, opts: StoreRunOptions = {}): RunRow {
  if (!opts.ledger && result.equity.length !== r.candles.time.length) {
    throw new Error(`storeBacktestRun: no ledger statistics given and no equity curve (${result.equity.length} points for ${r.candles.time.length} bars) to compute them from`);
  }
  return writeTransaction(app.db, () => {
    const run = createRun(app.db, {
      kind: 'backtest',
      status: 'succeeded',
      fingerprint: r.fingerprint,
      dataset_id: r.dataset.id,
      strategy: r.strategy.name,
      spec: { ...opts.specExtra, strategy: r.strategy.name, ...strategySpec(r.strategy), params: r.params, execution: r.execution, dataset_id: r.dataset.id, range: r.range },
      parent_id: parentId ?? null,
      now: started,
    });
    // the curve is not stored: the engine reproduces it from the spec (research/run-result.ts)
    insertBacktestRow(app.db, run.id, opts.serialized ?? serializeBacktest(result, { equity: false }));
    if (opts.ledgerSource !== null) recordLedger(app, {
      key: familyKey(r.strategy, r.dataset.content_hash, r.candles),
      source_kind: opts.ledgerSource ?? 'backtest',
      source_id: run.id,
      params: r.params,
      stats: opts.ledger ?? ledgerStats(r.candles.time, result.equity),
    });
    updateRun(app.db, run.id, { summary: compactSummary(r, result.metrics, result), finished_at: app.now(), started_at: started });
    return run;
  });
}

/** The handful of numbers that identify a run in lists. */
export function compactSummary(r: ResolvedBacktest, metrics: Metrics, result: StoredBacktest): Record<string, unknown> {
  return {
    symbol: r.dataset.symbol,
    timeframe: r.dataset.timeframe,
    bars: r.candles.time.length,
    trades: result.trades.length,
    return_pct: metrics.return_pct ?? null,
    sharpe: metrics.sharpe ?? null,
    max_drawdown_pct: metrics.max_drawdown_pct ?? null,
    score: metrics.score ?? null,
  };
}
