/**
 * One batch item on the evaluator (run.ts): its task on the loaded series, stored as a child
 * run of the batch by the worker or here, and the stop (cancel, wall-time limit) that gives
 * up items not started yet.
 */
import type { Metrics } from '../../engine/backtest/types.js';
import { lowerBound } from '../../engine/data/candles.js';
import type { Evaluator } from '../../engine/parallel/pool.js';
import type { BacktestTask } from '../../engine/parallel/task.js';
import type { App } from '../app.js';
import { storeBacktestRun, type ResolvedBacktest } from '../backtest.js';
import { datasetCandles } from '../datasets.js';
import type { JobContext } from '../jobs.js';
import { taskDefinition } from '../strategies.js';
import { batchItemRecord, writeLock, type BatchEvaluator, type StoredTaskResult, type StoringTask } from './worker-store.js';

function taskOf(app: App, ev: Evaluator, r: ResolvedBacktest): BacktestTask {
  const full = datasetCandles(app, r.dataset);
  const key = r.dataset.content_hash;
  ev.load(key, full);
  const start = lowerBound(full.time, r.candles.time[0]);
  return { key, start, end: start + r.candles.time.length, strategy: r.strategy.name, definition: taskDefinition(r.strategy), params: r.params, spec: r.execution, want: 'trades' };
}

export interface ItemDone {
  readonly run_id: string;
  readonly metrics: Metrics;
}

/**
 * Runs one item and stores it as a child run of the batch (`specExtra` added to its spec): in the worker when it stores
 * into the database file itself, else here. Rejects with TaskCancelled when `signal` gives
 * the item up before it started.
 */
export async function evaluateItem(app: App, job: JobContext, chosen: BatchEvaluator, r: ResolvedBacktest, specExtra: Record<string, unknown>, signal: AbortSignal): Promise<ItemDone> {
  const ev = chosen.evaluator;
  const task = taskOf(app, ev, r);
  if (chosen.db_file !== null) {
    const storing: StoringTask = { ...task, store: { db_file: chosen.db_file, parent_id: job.run_id, dataset_id: r.dataset.id, range: r.range, fingerprint: r.fingerprint, spec_extra: specExtra, lock: writeLock(chosen.db_file) } };
    const t: StoredTaskResult = await ev.run(storing, undefined, signal);
    if (!t.run_id) throw new Error('the worker did not store the item (is it running item-worker.js?)');
    return { run_id: t.run_id, metrics: t.metrics };
  }
  const started = app.now();
  const t = await ev.run(task, undefined, signal);
  const { stored, opts: storeOpts } = batchItemRecord(t, specExtra);
  const run = storeBacktestRun(app, r, stored, started, job.run_id, storeOpts);
  return { run_id: run.id, metrics: t.metrics };
}

/** When items not started yet are given up: on the job's cancel, or at the deadline (the wall-time limit). */
export class BatchStop {
  private readonly giveUp = new AbortController();
  private readonly onCancel = (): void => this.giveUp.abort();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly app: App,
    private readonly job: JobContext,
    private readonly deadline: number | undefined,
  ) {
    job.signal.addEventListener('abort', this.onCancel, { once: true });
    this.timer = deadline === undefined ? undefined : setTimeout(this.onCancel, Math.max(0, deadline - app.now()));
    this.timer?.unref();
  }

  /** Aborts items queued at a worker but not started. */
  get signal(): AbortSignal {
    return this.giveUp.signal;
  }

  /** Whether an item about to start should not. */
  stopped(): boolean {
    return this.job.signal.aborted || (this.deadline !== undefined && this.app.now() > this.deadline);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.job.signal.removeEventListener('abort', this.onCancel);
  }
}
