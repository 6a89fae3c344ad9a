/**
 * Worker-thread entry for batch items (see worker-store.ts): the engine worker's protocol
 * (load a SharedArrayBuffer series, run a task), plus, for a task carrying `store`, writing
 * the item's run, result (without the per-bar curve, as every batch item) and `batch_item`
 * ledger entry through this worker's own connection to the database file; the reply then
 * holds metrics and the run id, not trades or equity.
 */
import { sliceBars, type Candles } from '../../engine/data/candles.js';
import { serveTasks } from '../../engine/parallel/serve.js';
import { executeTask, SeriesCaches } from '../../engine/parallel/task.js';
import { strategyForTask } from '../../engine/strategies/resolve.js';
import { checkpointPassive, isPostgres, openDb, type Db } from '../../storage/db.js';
import { getDataset } from '../../storage/datasets.js';
import type { App } from '../app.js';
import { storeBacktestRun } from '../backtest.js';
import { CandleCache } from '../candle-cache.js';
import { parseConfig } from '../config.js';
import { batchItemRecord, withLock, type StoredTaskResult, type StoringTask, type WorkerStore } from './worker-store.js';

const caches = new SeriesCaches();
const clock = (): number => performance.now();
const apps = new Map<string, App>();

/**
 * Checkpoints (copying the WAL into the database file, then an fsync) are taken by this
 * worker after every CHECKPOINT_EVERY items it stored, outside the write lock, so the other
 * worker keeps writing meanwhile; SQLite's automatic checkpoint would run inside a commit,
 * i.e. holding the lock every writer waits for.
 */
const CHECKPOINT_EVERY = 8;
let itemsStored = 0;

function appFor(file: string): App {
  let app = apps.get(file);
  if (!app) {
    const db: Db = openDb(file, { migrate: false, autoCheckpoint: false });
    app = { db, home: '', root: '', now: () => Date.now(), config: parseConfig({}), candles: new CandleCache(0) };
    apps.set(file, app);
  }
  return app;
}

function storeItem(candles: Candles, task: StoringTask, store: WorkerStore): StoredTaskResult {
  const started = Date.now();
  const r = executeTask(candles, task, caches, clock);
  const app = appFor(store.db_file);
  const dataset = getDataset(app.db, store.dataset_id);
  if (!dataset) throw new Error(`dataset ${store.dataset_id} is not in ${store.db_file}`);
  const resolved = {
    dataset,
    candles: sliceBars(candles, task.start, task.end),
    range: store.range,
    strategy: strategyForTask(task.strategy, task.definition),
    params: task.params,
    execution: task.spec,
    fingerprint: store.fingerprint,
  };
  // serialised here, in parallel with the other workers; the lock covers only the inserts
  const { stored, opts } = batchItemRecord(r, store.spec_extra);
  const run = withLock(store.lock, () => storeBacktestRun(app, resolved, stored, started, store.parent_id, opts));
  // PASSIVE: copies what it can without waiting for readers or writers (never blocks them)
  if (++itemsStored % CHECKPOINT_EVERY === 0) {
    try {
      if (!isPostgres(app.db)) checkpointPassive(app.db);
    } catch {
      // only an optimisation: the item is committed, and SQLite checkpoints later anyway
    }
  }
  return { metrics: r.metrics, warnings: r.warnings, warmup: r.warmup, intermediate: r.intermediate, pruned_at: r.pruned_at, ledger: null, elapsed_ms: r.elapsed_ms, indicators_computed: r.indicators_computed, run_id: run.id };
}

serveTasks((candles, msg) => {
  const task = msg.task as StoringTask;
  return task.store ? storeItem(candles, task, task.store) : executeTask(candles, task, caches, clock);
}, caches);
