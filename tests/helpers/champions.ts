/**
 * Fixtures for the champion tests: a daily synthetic dataset on EUR/USD, and runs shaped
 * like the lead's contract (backtest, optimize with a `validated` block, walk_forward) whose
 * equity curves are crafted from seeded returns, so each gate can be made to pass or fail
 * on purpose. Incumbents are always re-run by the engine, never crafted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXECUTION, type Trade } from '../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { ledgerStats } from '../../src/engine/ledger.js';
import { createRng } from '../../src/engine/random.js';
import { openApp, type App } from '../../src/research/app.js';
import { datasetCandles, resolveRange, selectRange } from '../../src/research/datasets.js';
import { familyKey, recordLedger, trialSourceId } from '../../src/research/ledger.js';
import { insertDataset, type DatasetRow } from '../../src/storage/datasets.js';
import { saveBacktestResult } from '../../src/storage/run-results.js';
import { createRun, updateRun } from '../../src/storage/runs.js';

export const SYMBOL = 'EUR/USD';
export const TF = '1d';
export const START = Date.UTC(2018, 0, 1);
export const BARS = 1400;
/** End of the in-sample range (exclusive) = start of the out-of-sample data. */
export const IS_END = '2021-01-01';
/** Params of an incumbent that never trades on this data (slow SMA longer than the series). */
export const FLAT_PARAMS = { fast: 10, slow: 5000 };

const made: string[] = [];

/** A fresh temp directory, removed by `removeTempDirs` (call it in afterAll). */
export function tempDir(prefix = 'tradelab-champ-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface Fixture {
  readonly app: App;
  readonly ds: DatasetRow;
  readonly root: string;
  readonly clock: { t: number };
}

export function seedDataset(app: App): DatasetRow {
  const candles = generateSynthetic({ symbol: SYMBOL, timeframe: TF, bars: BARS, seed: 11, start: START });
  return insertDataset(app.db, { candles, source: 'test (synthetic)', isSynthetic: true, now: 1 }).dataset;
}

/** An app on a fresh store (`:memory:` unless a db file is given) with the dataset, a movable clock and a temp root. */
export function fixture(opts: { dbFile?: string; storage?: string; root?: string; config?: Record<string, unknown>; seed?: boolean } = {}): Fixture {
  const clock = { t: Date.UTC(2025, 0, 1) };
  const root = opts.root ?? tempDir();
  const app = openApp({ ...(opts.storage ? { storage: opts.storage } : { dbFile: opts.dbFile ?? ':memory:' }), home: root, root, config: opts.config ?? {}, now: () => clock.t });
  const ds = opts.seed === false ? (undefined as unknown as DatasetRow) : seedDataset(app);
  return { app, ds, root, clock };
}

function fakeTrades(n: number, time: Float64Array): Trade[] {
  return Array.from({ length: n }, (_, i) => {
    const b = Math.min(time.length - 2, i);
    return { direction: 'long', size: 1, entry_bar: b, exit_bar: b + 1, entry_time: time[b], exit_time: time[b + 1], entry_price: 1, exit_price: 1, pnl: 0, return_pct: 0, fees: 0, exit_reason: 'signal' } as Trade;
  });
}

/** Equity from seeded daily returns mu + sigma·z, or from explicit returns. */
export function craftEquity(n: number, r: { mu: number; sigma: number; seed: number } | ((i: number) => number)): Float64Array {
  const eq = new Float64Array(n);
  const rng = typeof r === 'function' ? null : createRng(r.seed);
  eq[0] = 10_000;
  for (let i = 1; i < n; i++) eq[i] = eq[i - 1] * (1 + (typeof r === 'function' ? r(i) : r.mu + r.sigma * rng!.normal()));
  return eq;
}

export interface CraftedBacktest {
  readonly params: Record<string, unknown>;
  readonly from?: string;
  readonly to?: string;
  readonly returns: { mu: number; sigma: number; seed: number } | ((i: number) => number);
  readonly trades: number;
  readonly strategy?: string;
  readonly dataset?: DatasetRow;
  readonly parent_id?: string;
}

/** A stored backtest run with a crafted equity curve (and a ledger entry, like a real one). */
export function craftedBacktest(f: Fixture, b: CraftedBacktest): string {
  const ds = b.dataset ?? f.ds;
  const range = resolveRange({ from: b.from, to: b.to });
  const candles = selectRange(datasetCandles(f.app, ds), range, ds);
  const equity = craftEquity(candles.time.length, b.returns);
  const strategy = b.strategy ?? 'sma_cross';
  const params = { direction: 'long_only', ...b.params };
  const run = createRun(f.app.db, {
    kind: 'backtest',
    status: 'succeeded',
    dataset_id: ds.id,
    strategy,
    spec: { strategy, params, execution: DEFAULT_EXECUTION, dataset_id: ds.id, range },
    parent_id: b.parent_id ?? null,
    now: f.clock.t,
  });
  saveBacktestResult(f.app.db, run.id, { metrics: { trades: b.trades, return_pct: 100 * (equity[equity.length - 1] / equity[0] - 1) }, warnings: [], trades: fakeTrades(b.trades, candles.time), open_trades: [], skipped: [], equity, equity_time: null, warmup: 0 });
  recordLedger(f.app, { key: familyKey(strategy, ds.content_hash, candles), source_kind: 'backtest', source_id: run.id, params, stats: ledgerStats(candles.time, equity) });
  return run.id;
}

export interface CraftedWalkForward {
  readonly final_params: Record<string, unknown>;
  readonly from: string;
  readonly returns: { mu: number; sigma: number; seed: number };
  readonly trades: number;
  /** A DSR written into the summary (gates must not trust it: they recompute from the ledger). */
  readonly dsr?: number;
  readonly n_trials?: number;
}

/**
 * A walk-forward run: summary per the contract, the stitched OOS equity (with bar times) and,
 * as a real run records it, one `wf_oos` ledger entry for the stitched curve.
 */
export function craftedWalkForward(f: Fixture, w: CraftedWalkForward): string {
  const candles = selectRange(datasetCandles(f.app, f.ds), resolveRange({ from: w.from }), f.ds);
  const equity = craftEquity(candles.time.length, w.returns);
  const final = { direction: 'long_only', ...w.final_params };
  const run = createRun(f.app.db, { kind: 'walk_forward', status: 'succeeded', dataset_id: f.ds.id, strategy: 'sma_cross', spec: { strategy: 'sma_cross', dataset_id: f.ds.id, execution: {} }, now: f.clock.t });
  const n = candles.time.length;
  updateRun(f.app.db, run.id, {
    summary: {
      strategy: 'sma_cross',
      dataset_id: f.ds.id,
      symbol: f.ds.symbol,
      timeframe: f.ds.timeframe,
      oos: { from: new Date(candles.time[0]).toISOString(), to: new Date(candles.time[n - 1]).toISOString(), trades: w.trades, sharpe: 1.5, psr: 0.99, ...(w.dsr !== undefined ? { dsr: w.dsr } : {}), n_trials: w.n_trials ?? 60, return_pct: 100 * (equity[n - 1] / equity[0] - 1) },
      final_params: final,
      windows: 3,
    },
  });
  saveBacktestResult(f.app.db, run.id, { metrics: { trades: w.trades }, warnings: [], trades: fakeTrades(w.trades, candles.time), open_trades: [], skipped: [], equity, equity_time: candles.time, warmup: 0 });
  recordLedger(f.app, { key: familyKey('sma_cross', f.ds.content_hash, candles), source_kind: 'wf_oos', source_id: run.id, params: { walk_forward: { run: run.id, final } }, stats: ledgerStats(candles.time, equity) });
  return run.id;
}

export interface CraftedTrial {
  readonly number: number;
  readonly params: Record<string, unknown>;
  /** Daily return of the trial on in-sample day i. */
  readonly returns: (i: number) => number;
}

export interface CraftedOptimize {
  readonly trials: readonly CraftedTrial[];
  readonly best: number;
  /** validated block: trial numbers that passed / failed, with the holdout run of each. */
  readonly validated?: readonly { number: number; passed: boolean; holdout_run_id: string | null }[];
}

/** An optimize run (summary per the contract) whose trials are in the ledger with 16 block moments. */
export function craftedOptimize(f: Fixture, o: CraftedOptimize): string {
  const candles = selectRange(datasetCandles(f.app, f.ds), resolveRange({ to: IS_END }), f.ds);
  const n = candles.time.length;
  const run = createRun(f.app.db, { kind: 'optimize', status: 'succeeded', dataset_id: f.ds.id, strategy: 'sma_cross', spec: { strategy: 'sma_cross', dataset_id: f.ds.id, to: IS_END, execution: {}, study_name: 'st' }, now: f.clock.t });
  const full = (p: Record<string, unknown>) => ({ direction: 'long_only', ...p });
  for (const t of o.trials) {
    const eq = craftEquity(n, t.returns);
    recordLedger(f.app, { key: familyKey('sma_cross', f.ds.content_hash, candles), source_kind: 'trial', source_id: trialSourceId(run.id, t.number), params: full(t.params), stats: ledgerStats(candles.time, eq) });
  }
  const best = o.trials.find((t) => t.number === o.best)!;
  updateRun(f.app.db, run.id, {
    summary: {
      study_name: 'st',
      strategy: 'sma_cross',
      dataset_id: f.ds.id,
      symbol: f.ds.symbol,
      timeframe: f.ds.timeframe,
      range: { from: new Date(candles.time[0]).toISOString(), to: new Date(candles.time[n - 1]).toISOString(), bars: n },
      best: { number: best.number, params: best.params, values: [1], metrics: { sharpe: 1 } },
      ...(o.validated
        ? {
            validated: o.validated.map((v) => ({
              number: v.number,
              params: full(o.trials.find((t) => t.number === v.number)!.params),
              passed: v.passed,
              reasons: v.passed ? [] : ['holdout return <= 0'],
              holdout_run_id: v.holdout_run_id,
              holdout: { from: IS_END, to: null },
              metrics: { sharpe: 1, trades: 40 },
            })),
          }
        : {}),
    },
  });
  return run.id;
}

/** Daily returns that are `good` in the listed blocks of 16 and `bad` elsewhere, plus seeded noise. */
export function blockPattern(n: number, goodBlocks: ReadonlySet<number>, seed: number, good = 0.002, bad = -0.002, noise = 0.004): (i: number) => number {
  const rng = createRng(seed);
  const z = Array.from({ length: n }, () => rng.normal());
  return (i) => (goodBlocks.has(Math.min(15, Math.floor((i - 1) / ((n - 1) / 16)))) ? good : bad) + noise * z[i];
}
