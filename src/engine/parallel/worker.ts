/**
 * Worker-thread entry: holds candle series shared through SharedArrayBuffer and runs
 * backtest tasks (strategy signals, simulator, metrics) on them.
 */
import { makePruneDecider } from './prune.js';
import { serveTasks } from './serve.js';
import { executeTask, SeriesCaches } from './task.js';

const caches = new SeriesCaches();
const clock = (): number => performance.now();

serveTasks((candles, msg) => executeTask(candles, msg.task, caches, clock, msg.prune ? makePruneDecider(msg.prune) : undefined), caches);
