/**
 * The message loop every worker script runs: keep the candle series the pool shares
 * (SharedArrayBuffer views), and answer each `run` request with `execute`'s result or its
 * error. Worker scripts differ only in what `execute` does with a task. With the thread's
 * `caches`, indicators are shared between the pool's workers: one computed here is copied
 * into a SharedArrayBuffer, kept in that form and sent to the pool, which hands it to the
 * other workers; theirs are adopted here. The pool's workers then compute each indicator
 * about once between them, and hold one copy of it.
 */
import { parentPort } from 'node:worker_threads';
import type { Candles } from '../data/candles.js';
import { candlesFromShared, type WorkerRequest, type WorkerResponse } from './messages.js';
import type { SeriesCaches, TaskResult } from './task.js';

export type Execute = (candles: Candles, msg: Extract<WorkerRequest, { type: 'run' }>) => TaskResult;

export function serveTasks(execute: Execute, caches?: SeriesCaches): void {
  const series = new Map<string, Candles>();
  const reply = (msg: WorkerResponse): void => parentPort?.postMessage(msg);
  if (caches) {
    caches.onComputed = (range, key, value) => {
      const buffer = new SharedArrayBuffer(value.byteLength);
      const shared = new Float64Array(buffer);
      shared.set(value);
      reply({ type: 'indicator', range, key, buffer });
      return shared;
    };
  }
  parentPort?.on('message', (msg: WorkerRequest) => {
    if (msg.type === 'hello') {
      reply({ type: 'hello', module: import.meta.url });
      return;
    }
    if (msg.type === 'indicator') {
      caches?.adopt(msg.range, msg.key, new Float64Array(msg.buffer));
      return;
    }
    if (msg.type === 'load') {
      series.set(msg.series.key, candlesFromShared(msg.series));
      return;
    }
    if (msg.type === 'drop') {
      series.delete(msg.key);
      caches?.drop(msg.key);
      return;
    }
    if (msg.cancel && Atomics.load(new Int32Array(msg.cancel), 0) === 1) {
      reply({ type: 'result', id: msg.id, ok: false, error: 'cancelled before it started', cancelled: true });
      return;
    }
    const candles = series.get(msg.task.key);
    if (!candles) {
      reply({ type: 'result', id: msg.id, ok: false, error: `worker has no candle series ${msg.task.key}` });
      return;
    }
    try {
      reply({ type: 'result', id: msg.id, ok: true, result: execute(candles, msg) });
    } catch (e) {
      reply({ type: 'result', id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
