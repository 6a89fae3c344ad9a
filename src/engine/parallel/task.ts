/**
 * One unit of work for the pool: a backtest of a strategy on a bar range of a candle
 * series, optionally reporting its running return at fixed checkpoints so a pruner can
 * stop it early. Runs identically in a worker thread and inline.
 */
import { runBacktest } from '../backtest/run.js';
import { Scratch } from '../backtest/scratch.js';
import type { BacktestResult, CheckpointHook, ExecutionSpec, Metrics, OpenTrade, SkippedOrder, Trade } from '../backtest/types.js';
import { sliceBars, type Candles } from '../data/candles.js';
import { ledgerStats, type LedgerStats } from '../ledger.js';
import { strategyForTask } from '../strategies/resolve.js';
import type { IndicatorCache } from '../strategies/types.js';

export interface BacktestTask {
  /** Candle series key (e.g. the dataset content hash). */
  readonly key: string;
  /** Bar range [start, end) within the series. */
  readonly start: number;
  readonly end: number;
  readonly strategy: string;
  /** A strategy-language definition's canonical document (JSON text), for a strategy that is not built in. */
  readonly definition?: string;
  readonly params: Record<string, unknown>;
  readonly spec: ExecutionSpec;
  /**
   * 'metrics' returns metrics and warnings only (optimisation trials); 'trades' adds the
   * trades, open trades and skipped orders (batch items, which keep no per-bar curve);
   * 'full' adds the equity curve too.
   */
  readonly want: 'metrics' | 'trades' | 'full';
  /** Number of evenly spaced checkpoints at which the running return is reported (0 = none). */
  readonly checkpoints?: number;
}

export interface TaskResult {
  readonly metrics: Metrics;
  readonly warnings: string[];
  readonly warmup: number;
  readonly trades?: Trade[];
  readonly open_trades?: OpenTrade[];
  readonly skipped?: SkippedOrder[];
  readonly equity?: Float64Array;
  /** [step, running return %] at each checkpoint reached. */
  readonly intermediate: [number, number][];
  /** The checkpoint step at which the pruner stopped the run, if it did. */
  readonly pruned_at: number | null;
  /** Trial-ledger statistics of the equity curve (null when pruned: the run is incomplete). */
  readonly ledger: LedgerStats | null;
  readonly elapsed_ms: number;
  /** Indicators this task computed (the others came from the cache). */
  readonly indicators_computed: number;
}

/** Decides at a checkpoint whether to stop (pruning); given the steps reported so far. */
export type PruneDecider = (step: number, value: number, reported: readonly [number, number][]) => boolean;

/** Checkpoint bar indices: K evenly spaced points of [0, n), the last one the final bar. */
export function checkpointBars(n: number, k: number): Int32Array {
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = Math.max(0, Math.floor(((i + 1) * n) / k) - 1);
  return out;
}

/** A bar range of a series, as indicator caches are keyed. */
export interface IndicatorRange {
  readonly series: string;
  readonly start: number;
  readonly end: number;
}

/** The indicators of one range; a computed one is offered to the owner's hook (sharing). */
class RangeCache implements IndicatorCache {
  private readonly map = new Map<string, Float64Array>();
  constructor(
    private readonly owner: SeriesCaches,
    private readonly range: IndicatorRange,
  ) {}
  get series(): string {
    return this.range.series;
  }
  get(key: string): Float64Array | undefined {
    return this.map.get(key);
  }
  set(key: string, value: Float64Array): void {
    this.owner.computed++;
    this.map.set(key, this.owner.onComputed?.(this.range, key, value) ?? value);
  }
  /** An indicator computed elsewhere (another worker): kept unless this range has it. */
  adopt(key: string, value: Float64Array): void {
    if (!this.map.has(key)) this.map.set(key, value);
  }
}

/**
 * Per-series indicator caches keyed by range, so trials on the same slice share indicators;
 * and the thread's reusable per-bar buffers for 'metrics' tasks (one SeriesCaches per thread).
 * `onComputed` sees each indicator a task computes and may return the array to keep instead
 * (a worker returns a SharedArrayBuffer copy that it also hands to the other workers).
 */
export class SeriesCaches {
  private readonly caches = new Map<string, RangeCache>();
  readonly scratch = new Scratch();
  /** Indicators computed on this thread so far (not adopted). */
  computed = 0;
  onComputed?: (range: IndicatorRange, key: string, value: Float64Array) => Float64Array | undefined;

  get(key: string, start: number, end: number): IndicatorCache {
    return this.range({ series: key, start, end });
  }

  adopt(range: IndicatorRange, key: string, value: Float64Array): void {
    this.range(range).adopt(key, value);
  }

  /** Forgets the indicators of every range of one series (the series was dropped). */
  drop(series: string): void {
    for (const [k, c] of this.caches) if (c.series === series) this.caches.delete(k);
  }

  private range(r: IndicatorRange): RangeCache {
    const k = `${r.series}:${r.start}:${r.end}`;
    let c = this.caches.get(k);
    if (!c) {
      if (this.caches.size > 32) this.caches.clear();
      c = new RangeCache(this, r);
      this.caches.set(k, c);
    }
    return c;
  }
}

export function executeTask(
  candles: Candles,
  task: BacktestTask,
  caches: SeriesCaches,
  clock: () => number,
  decide?: PruneDecider,
): TaskResult {
  const t0 = clock();
  const computedBefore = caches.computed;
  const slice = task.start === 0 && task.end === candles.time.length ? candles : sliceBars(candles, task.start, task.end);
  const strategy = strategyForTask(task.strategy, task.definition);
  const cache = caches.get(task.key, task.start, task.end);
  const intermediate: [number, number][] = [];
  let prunedAt: number | null = null;
  let hook: CheckpointHook | undefined;
  const k = task.checkpoints ?? 0;
  if (k > 0) {
    const cash = task.spec.cash;
    hook = {
      bars: checkpointBars(slice.time.length, k),
      report: (step, bar, equity) => {
        const value = (equity[bar] / cash - 1) * 100;
        intermediate.push([step, value]);
        if (decide && step < k - 1 && decide(step, value, intermediate)) {
          prunedAt = step;
          return true;
        }
        return false;
      },
    };
  }
  // only a 'full' task keeps a per-bar array; the others' equity and signals live in the thread's scratch
  const ctx = task.want === 'full' ? { cache } : { cache, scratch: caches.scratch };
  const r: BacktestResult = runBacktest(slice, strategy, task.params, task.spec, ctx, hook);
  const ledger = prunedAt === null ? ledgerStats(slice.time, r.equity) : null;
  const base = { metrics: r.metrics, warnings: r.warnings, warmup: r.warmup, intermediate, pruned_at: prunedAt, ledger, elapsed_ms: clock() - t0, indicators_computed: caches.computed - computedBefore };
  if (task.want === 'metrics') return base;
  const trades = { ...base, trades: r.trades, open_trades: r.open_trades, skipped: r.skipped };
  return task.want === 'trades' ? trades : { ...trades, equity: r.equity };
}
