/**
 * Worker-thread entry: holds candle series shared through SharedArrayBuffer and runs
 * backtest tasks (strategy signals, simulator, metrics) on them.
 */
import { parentPort } from 'node:worker_threads';
import type { Candles } from '../data/candles.js';
import type { WorkerRequest, WorkerResponse } from './messages.js';
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
    const c = msg.series.columns;
    series.set(msg.series.key, {
      symbol: msg.series.symbol,
      timeframe: msg.series.timeframe,
      time: new Float64Array(c.time),
      open: new Float64Array(c.open),
      high: new Float64Array(c.high),
      low: new Float64Array(c.low),
      close: new Float64Array(c.close),
      volume: new Float64Array(c.volume),
    });
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
