/**
 * A fixed pool of worker threads running backtest tasks. Candle series are copied once
 * into SharedArrayBuffers and shared with every worker; tasks are scheduled with p-limit.
 * Each worker is given up to `depth` tasks at once (default 2) — one running, the next
 * waiting in its own message queue — so a worker that finishes starts its next task at
 * once instead of idling until the main thread, busy with other work, hands it one. At most
 * `size` tasks run at the same time either way: a worker runs its messages one by one.
 */
import { Worker } from 'node:worker_threads';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Candles } from '../data/candles.js';
import { SHARED_COLUMNS, type PruneSpec, type SharedSeries, type WorkerRequest, type WorkerResponse } from './messages.js';
import type { BacktestTask, TaskResult } from './task.js';

export interface Evaluator {
  readonly size: number;
  /** Makes a series available to tasks under `key` (idempotent). */
  load(key: string, candles: Candles): void;
  run(task: BacktestTask, prune?: PruneSpec): Promise<TaskResult>;
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  readonly loaded: Set<string>;
  /** Tasks posted to this worker and not answered yet. */
  inflight: number;
}

export class WorkerPool implements Evaluator {
  private readonly slots: Slot[] = [];
  private readonly limit: LimitFunction;
  private readonly series = new Map<string, SharedSeries>();
  private readonly pending = new Map<number, { resolve: (r: TaskResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly script: string | URL,
    readonly depth = 2,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be an integer >= 1, got ${size}`);
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`pool depth must be an integer >= 1, got ${depth}`);
    this.limit = pLimit(size * depth);
  }

  load(key: string, candles: Candles): void {
    if (this.series.has(key)) return;
    const columns = {} as Record<(typeof SHARED_COLUMNS)[number], SharedArrayBuffer>;
    for (const col of SHARED_COLUMNS) {
      const sab = new SharedArrayBuffer(candles[col].length * 8);
      new Float64Array(sab).set(candles[col]);
      columns[col] = sab;
    }
    this.series.set(key, { key, symbol: candles.symbol, timeframe: candles.timeframe, columns });
  }

  private spawn(): Slot {
    const worker = new Worker(this.script);
    const slot: Slot = { worker, loaded: new Set(), inflight: 0 };
    worker.on('message', (msg: WorkerResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
    worker.on('error', (e) => {
      for (const [id, p] of this.pending) {
        p.reject(e);
        this.pending.delete(id);
      }
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** The least loaded worker; a new one while the pool has fewer than `size` and all are busy. */
  private freeSlot(): Slot {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.inflight < best.inflight) best = s;
    if (best && (best.inflight === 0 || this.slots.length >= this.size)) return best;
    return this.spawn();
  }

  run(task: BacktestTask, prune?: PruneSpec): Promise<TaskResult> {
    return this.limit(() => {
      if (this.closed) return Promise.reject(new Error('worker pool is closed'));
      const series = this.series.get(task.key);
      if (!series) return Promise.reject(new Error(`series ${task.key} was not loaded into the pool`));
      const slot = this.freeSlot();
      // keep the process alive while a task is in flight; idle workers never hold it open
      if (slot.inflight++ === 0) slot.worker.ref();
      if (!slot.loaded.has(task.key)) {
        slot.worker.postMessage({ type: 'load', series } satisfies WorkerRequest);
        slot.loaded.add(task.key);
      }
      const id = this.nextId++;
      return new Promise<TaskResult>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ type: 'run', id, task, ...(prune ? { prune } : {}) } satisfies WorkerRequest);
      }).finally(() => {
        if (--slot.inflight === 0) slot.worker.unref();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
