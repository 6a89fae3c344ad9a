/** The same Evaluator interface, run on the calling thread (n_jobs = 1, tests, CLI). */
import type { Candles } from '../data/candles.js';
import { TaskCancelled } from '../cancel.js';
import type { PruneSpec } from './messages.js';
import type { Evaluator } from './pool.js';
import { makePruneDecider } from './prune.js';
import { executeTask, SeriesCaches, type BacktestTask, type TaskResult } from './task.js';

export class InlineEvaluator implements Evaluator {
  readonly size = 1;
  private readonly series = new Map<string, Candles>();
  private readonly caches = new SeriesCaches();
  constructor(private readonly clock: () => number) {}

  load(key: string, candles: Candles): void {
    this.series.set(key, candles);
  }

  /** A task already running keeps its candles; the next one needs `load` again. */
  drop(key: string): void {
    this.series.delete(key);
    this.caches.drop(key);
  }

  async run(task: BacktestTask, prune?: PruneSpec, signal?: AbortSignal): Promise<TaskResult> {
    // the series as loaded when the task was handed over (a drop meanwhile does not take it away)
    const c = this.series.get(task.key);
    // Yield to the event loop first: a long study on the calling thread must not starve
    // timers, I/O and other requests (progress notifications, cancellation, wait budgets).
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new TaskCancelled();
    if (!c) throw new Error(`series ${task.key} was not loaded`);
    return executeTask(c, task, this.caches, this.clock, prune ? makePruneDecider(prune) : undefined);
  }

  async close(): Promise<void> {
    this.series.clear();
  }
}
