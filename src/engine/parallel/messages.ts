/** Messages between the pool and its worker threads (structured-clone friendly). */
import type { BacktestTask, TaskResult } from './task.js';

export const SHARED_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

export interface SharedSeries {
  readonly key: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** One SharedArrayBuffer of Float64 per column: shared, not copied, between threads. */
  readonly columns: Readonly<Record<(typeof SHARED_COLUMNS)[number], SharedArrayBuffer>>;
}

/** A pruning rule evaluated inside the worker against a snapshot of the study. */
export interface PruneSpec {
  /** Serialisable pruner config (see optimizer/pruners). */
  readonly pruner: unknown;
  /** Serialised study snapshot the pruner decides against. */
  readonly history: unknown;
  /** Number of the trial being evaluated. */
  readonly trial_number: number;
}

export type WorkerRequest =
  | { readonly type: 'load'; readonly series: SharedSeries }
  | { readonly type: 'drop'; readonly key: string }
  | { readonly type: 'run'; readonly id: number; readonly task: BacktestTask; readonly prune?: PruneSpec };

export type WorkerResponse =
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly result: TaskResult }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: string };
