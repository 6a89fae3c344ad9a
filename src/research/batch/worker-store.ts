/**
 * Storing batch items inside the worker threads. On two cores the main thread's share of
 * each item (receiving trades and the equity curve, serialising them, writing the run, its
 * result and its ledger entry) costs about as much as the backtest itself, which caps what a
 * second worker can add. So when the store is a database file (WAL: one writer at a time,
 * readers never blocked), each batch worker opens its own connection — DESIGN.md §2 allows
 * "one per worker that needs it" — and writes the item's run itself; only metrics and the
 * run id come back. An in-memory store (tests) cannot be shared between threads: there the
 * main thread stores, as before.
 */
import { existsSync } from 'node:fs';
import { WorkerPool, type Evaluator } from '../../engine/parallel/pool.js';
import type { BacktestTask, TaskResult } from '../../engine/parallel/task.js';
import type { App } from '../app.js';
import type { ResolvedRange } from '../datasets.js';
import { getEvaluator } from '../evaluator.js';
import { isPostgres } from '../../storage/db.js';
import { serializeBacktest, type StoredBacktest } from '../../storage/run-results.js';
import type { StoreRunOptions } from '../backtest.js';
import { workerScript } from '../worker-script.js';

/** item-worker's entry: dist/'s .js in production, the .ts source under test (worker-script.ts). */
export const BATCH_WORKER_SCRIPT = workerScript(import.meta.url, './item-worker');

/** What a worker needs to store an item as a child run of the batch. */
export interface WorkerStore {
  readonly db_file: string;
  readonly parent_id: string;
  readonly dataset_id: number;
  readonly range: ResolvedRange;
  readonly fingerprint: string;
  readonly spec_extra: Record<string, unknown>;
  /**
   * An Int32 lock shared by the workers of one database file: SQLite lets one writer in at
   * a time and its busy handler polls with sleeps of 1, 2, 5, 10 … ms; waiting on this lock
   * with Atomics.wait hands the write over the moment the previous one commits.
   */
  readonly lock?: SharedArrayBuffer;
}

const locks = new Map<string, SharedArrayBuffer>();

/** The write lock of a database file (one per file per process). */
export function writeLock(file: string): SharedArrayBuffer {
  let l = locks.get(file);
  if (!l) {
    l = new SharedArrayBuffer(4);
    locks.set(file, l);
  }
  return l;
}

/**
 * Runs `f` holding the lock (0 = free, 1 = held), blocking the calling worker thread while
 * waiting. The lock only orders the writers for speed — SQLite's own locking keeps the
 * writes correct — so after `maxWaitMs` (a writer killed while holding it) `f` runs anyway.
 */
export function withLock<T>(lock: SharedArrayBuffer | undefined, f: () => T, maxWaitMs = 10_000): T {
  if (!lock) return f();
  const a = new Int32Array(lock);
  const t0 = Date.now();
  let held = false;
  while (!(held = Atomics.compareExchange(a, 0, 0, 1) === 0) && Date.now() - t0 < maxWaitMs) Atomics.wait(a, 0, 1, 50);
  try {
    return f();
  } finally {
    if (held) {
      Atomics.store(a, 0, 0);
      Atomics.notify(a, 0, 1);
    }
  }
}

export type StoringTask = BacktestTask & { readonly store?: WorkerStore };

/**
 * A finished batch item as it is stored (by a worker or the main thread): metrics, trades and
 * ledger statistics but no per-bar curve (recomputed on demand: research/run-result.ts),
 * serialised here so that a writer sharing the database holds the lock only for the inserts.
 */
export function batchItemRecord(t: TaskResult, specExtra: Record<string, unknown>): { stored: StoredBacktest; opts: StoreRunOptions } {
  const stored: StoredBacktest = {
    metrics: t.metrics,
    warnings: t.warnings,
    trades: t.trades ?? [],
    open_trades: t.open_trades ?? [],
    skipped: t.skipped ?? [],
    equity: new Float64Array(0),
    equity_time: null,
    warmup: t.warmup,
  };
  return { stored, opts: { ledgerSource: 'batch_item', specExtra, ledger: t.ledger, serialized: serializeBacktest(stored, { equity: false }) } };
}
export type StoredTaskResult = TaskResult & { readonly run_id?: string };

export interface BatchEvaluator {
  readonly evaluator: Evaluator;
  /** The database file workers write to, or null when the main thread stores. */
  readonly db_file: string | null;
}

const pools = new WeakMap<App, Map<number, { pool: WorkerPool; unsubscribe: () => void }>>();

/**
 * The evaluator for a batch of `size` parallel items: storing workers when the store is a
 * file and size > 1, else the shared evaluator (the main thread stores).
 */
export function batchEvaluator(app: App, size: number): BatchEvaluator {
  // PostgreSQL: libpq's addon loads in one thread only (it is not context-aware), so the
  // items are evaluated in worker threads and stored by this thread
  if (size <= 1 || isPostgres(app.db) || app.db.memory || !existsSync(BATCH_WORKER_SCRIPT.url)) return { evaluator: getEvaluator(app, size), db_file: null };
  let byApp = pools.get(app);
  if (!byApp) {
    byApp = new Map();
    pools.set(app, byApp);
  }
  let entry = byApp.get(size);
  if (!entry) {
    const pool = new WorkerPool(size, BATCH_WORKER_SCRIPT);
    // a series the candle cache lets go is let go here too (once no item of it runs)
    entry = { pool, unsubscribe: app.candles.onEvict((hash) => pool.drop(hash)) };
    byApp.set(size, entry);
  }
  return { evaluator: entry.pool, db_file: app.db.name };
}

/** Stops the storing workers of this app (CLI exit, server shutdown, tests). */
export async function closeBatchEvaluators(app: App): Promise<void> {
  const byApp = pools.get(app);
  if (!byApp) return;
  pools.delete(app);
  for (const e of byApp.values()) e.unsubscribe();
  await Promise.all([...byApp.values()].map((e) => e.pool.close()));
}
