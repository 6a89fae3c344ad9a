/**
 * Worker-thread entry of the engine's pool (engine/parallel/pool.ts): holds candle series
 * shared through SharedArrayBuffer and runs backtest tasks (strategy signals, simulator,
 * metrics) on them. It is the thread's composition root, so it lives here rather than in
 * the engine: it supplies the clock that times each task (the engine takes clocks from its
 * callers and reads none itself).
 */
import { makePruneDecider } from '../engine/parallel/prune.js';
import { serveTasks } from '../engine/parallel/serve.js';
import { executeTask, SeriesCaches } from '../engine/parallel/task.js';

const caches = new SeriesCaches();
const clock = (): number => performance.now();

serveTasks((candles, msg) => executeTask(candles, msg.task, caches, clock, msg.prune ? makePruneDecider(msg.prune) : undefined), caches);
