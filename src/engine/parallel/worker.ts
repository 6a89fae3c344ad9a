/**
 * Worker-thread entry: holds candle series shared through SharedArrayBuffer and runs
 * backtest tasks (strategy signals, simulator, metrics) on them.
 */
import { parentPort } from 'node:worker_threads';
import type { Candles } from '../data/candles.js';
import { candlesFromShared, type WorkerRequest, type WorkerResponse } from './messages.js';
import { makePruneDecider } from './prune.js';
import { executeTask, SeriesCaches } from './task.js';

const series = new Map<string, Candles>();
const caches = new SeriesCaches();
const clock = (): number => performance.now();

function reply(msg: WorkerResponse): void {
  parentPort?.postMessage(msg);
}

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'load') {
    series.set(msg.series.key, candlesFromShared(msg.series));
    return;
  }
  if (msg.type === 'drop') {
    series.delete(msg.key);
    return;
  }
  const candles = series.get(msg.task.key);
  if (!candles) {
    reply({ type: 'result', id: msg.id, ok: false, error: `worker has no candle series ${msg.task.key}` });
    return;
  }
  try {
    const decide = msg.prune ? makePruneDecider(msg.prune) : undefined;
    const result = executeTask(candles, msg.task, caches, clock, decide);
    reply({ type: 'result', id: msg.id, ok: true, result });
  } catch (e) {
    reply({ type: 'result', id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
