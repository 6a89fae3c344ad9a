/** Messages between the pool and its worker threads (structured-clone friendly). */
import type { Candles } from '../data/candles.js';
import type { BacktestTask, IndicatorRange, TaskResult } from './task.js';

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

/** An indicator one worker computed, in a SharedArrayBuffer, for the others' caches. */
export interface SharedIndicator {
  readonly type: 'indicator';
  readonly range: IndicatorRange;
  readonly key: string;
  readonly buffer: SharedArrayBuffer;
}

export type WorkerRequest =
  | SharedIndicator
  /** Asks the thread which module serves it (answered with `hello`): tests check that threads run the code under test. */
  | { readonly type: 'hello' }
  | { readonly type: 'load'; readonly series: SharedSeries }
  | { readonly type: 'drop'; readonly key: string }
  | {
      readonly type: 'run';
      readonly id: number;
      readonly task: BacktestTask;
      readonly prune?: PruneSpec;
      /** An Int32 flag set to 1 when the caller gives the task up: a worker skips it if it has not started. */
      readonly cancel?: SharedArrayBuffer;
    };

export type WorkerResponse =
  | SharedIndicator
  /** `module`: the URL of the serving module (serve.ts from the sources, serve.js from dist/). */
  | { readonly type: 'hello'; readonly module: string }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly result: TaskResult }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: string; readonly cancelled?: true };

/** The candles of a shared series as views over its SharedArrayBuffers (no copy). */
export function candlesFromShared(s: SharedSeries): Candles {
  const c = s.columns;
  return {
    symbol: s.symbol,
    timeframe: s.timeframe,
    time: new Float64Array(c.time),
    open: new Float64Array(c.open),
    high: new Float64Array(c.high),
    low: new Float64Array(c.low),
    close: new Float64Array(c.close),
    volume: new Float64Array(c.volume),
  };
}
