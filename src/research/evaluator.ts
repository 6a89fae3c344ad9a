/**
 * The process-wide evaluator for trials and batch items: a worker-thread pool of
 * `config.workers` threads when more than one job slot is wanted, or the inline evaluator.
 * Candles are loaded into it once per dataset content hash (SharedArrayBuffer).
 */
import { existsSync } from 'node:fs';
import { InlineEvaluator } from '../engine/parallel/inline.js';
import { WorkerPool, type Evaluator } from '../engine/parallel/pool.js';
import { distModule } from '../paths.js';
import type { App } from './app.js';

const WORKER_SCRIPT = distModule('research/engine-worker.js');

const pools = new WeakMap<App, Map<number, Evaluator>>();
const unsubscribe = new WeakMap<Evaluator, () => void>();

/**
 * An evaluator with `size` parallel slots: size 1 runs inline (no thread hop); larger sizes
 * use worker threads running the compiled engine (dist/, built by `npm install`/`npm test`).
 */
export function getEvaluator(app: App, size: number): Evaluator {
  let byApp = pools.get(app);
  if (!byApp) {
    byApp = new Map();
    pools.set(app, byApp);
  }
  const hit = byApp.get(size);
  if (hit) return hit;
  let ev: Evaluator;
  if (size <= 1) {
    ev = new InlineEvaluator(() => performance.now());
  } else {
    if (!existsSync(WORKER_SCRIPT)) {
      throw new Error(`worker script ${WORKER_SCRIPT} is missing; run \`npm run build\` (n_jobs > 1 runs the compiled engine in worker threads)`);
    }
    ev = new WorkerPool(size, WORKER_SCRIPT);
  }
  byApp.set(size, ev);
  // a series the candle cache lets go is let go here too (once no task of it runs)
  unsubscribe.set(ev, app.candles.onEvict((hash) => ev.drop(hash)));
  return ev;
}

/** Stops every pool of this app (server shutdown, CLI exit, tests). */
export async function closeEvaluators(app: App): Promise<void> {
  const byApp = pools.get(app);
  if (!byApp) return;
  pools.delete(app);
  for (const e of byApp.values()) unsubscribe.get(e)?.();
  await Promise.all([...byApp.values()].map((e) => e.close()));
}

/**
 * Tasks to hand an evaluator ahead of a free slot (optimize's `queue_ahead`, the batch's
 * limit): one per worker of a pool, whose workers then always have their next task queued
 * (WorkerPool's depth) and never idle while the main thread stores a result and prepares the
 * next; none inline, where there is nothing to overlap.
 */
export function queueAhead(ev: Evaluator): number {
  return ev instanceof InlineEvaluator ? 0 : ev.size;
}
