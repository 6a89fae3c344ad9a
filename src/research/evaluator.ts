/**
 * The process-wide evaluator for trials and batch items: a worker-thread pool of
 * `config.workers` threads when more than one job slot is wanted, or the inline evaluator.
 * Candles are loaded into it once per dataset content hash (SharedArrayBuffer).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InlineEvaluator } from '../engine/parallel/inline.js';
import { WorkerPool, type Evaluator } from '../engine/parallel/pool.js';
import type { App } from './app.js';
import { workerScript } from './worker-script.js';

/** engine-worker's entry: dist/'s .js in production, the .ts source under test (worker-script.ts). */
export const ENGINE_WORKER_SCRIPT = workerScript(import.meta.url, './engine-worker');

const pools = new WeakMap<App, Map<number, Evaluator>>();
const unsubscribe = new WeakMap<Evaluator, () => void>();

/**
 * An evaluator with `size` parallel slots: size 1 runs inline (no thread hop); larger sizes
 * use worker threads running the engine: compiled (dist/, built by `npm install`) when this
 * module runs from dist/, the TypeScript sources when it runs from them (tests).
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
    const entry = ENGINE_WORKER_SCRIPT.url;
    if (!existsSync(entry)) {
      throw new Error(`worker script ${fileURLToPath(entry)} is missing; run \`npm run build\` (n_jobs > 1 runs the engine in worker threads)`);
    }
    ev = new WorkerPool(size, ENGINE_WORKER_SCRIPT);
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
