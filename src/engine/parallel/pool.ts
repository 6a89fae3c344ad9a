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
import { TaskCancelled } from '../cancel.js';
import { SHARED_COLUMNS, type PruneSpec, type SharedSeries, type WorkerRequest, type WorkerResponse } from './messages.js';
import type { BacktestTask, TaskResult } from './task.js';

/**
 * The module a pool's threads run — its path or URL, or that with the Node options its
 * threads start with (a loader for TypeScript sources under test: research/worker-script.ts).
 */
export type WorkerScript = string | URL | { readonly url: string | URL; readonly execArgv?: readonly string[] };

/** A thread running `script` (execArgv, when given, replaces the inherited process.execArgv). */
export function startWorker(script: WorkerScript): Worker {
  if (typeof script === 'string' || script instanceof URL) return new Worker(script);
  return new Worker(script.url, script.execArgv ? { execArgv: [...script.execArgv] } : {});
}

export interface Evaluator {
  readonly size: number;
  /** Makes a series available to tasks under `key` (idempotent). */
  load(key: string, candles: Candles): void;
  /** Forgets the series under `key` (its owner evicted it) once no task of it is queued or running; `load` makes it available again. */
  drop(key: string): void;
  /**
   * Runs a task. Aborting `signal` gives it up if it has not started yet (queued in the pool
   * or at a worker): its promise then rejects with TaskCancelled; a started task finishes.
   */
  run(task: BacktestTask, prune?: PruneSpec, signal?: AbortSignal): Promise<TaskResult>;
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  readonly loaded: Set<string>;
  /** Tasks posted to this worker and not answered yet. */
  inflight: number;
  /** Their ids: rejected if the worker dies. */
  readonly ids: Set<number>;
}

export class WorkerPool implements Evaluator {
  private readonly slots: Slot[] = [];
  private readonly limit: LimitFunction;
  private readonly series = new Map<string, SharedSeries>();
  private readonly pending = new Map<number, { resolve: (r: TaskResult) => void; reject: (e: Error) => void }>();
  private readonly flags = new WeakMap<AbortSignal, SharedArrayBuffer>();
  /** Tasks of each series queued or running; a dropped series goes when its count reaches 0. */
  private readonly pins = new Map<string, number>();
  private readonly dropLater = new Set<string>();
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly script: WorkerScript,
    readonly depth = 2,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be an integer >= 1, got ${size}`);
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`pool depth must be an integer >= 1, got ${depth}`);
    this.limit = pLimit(size * depth);
  }

  load(key: string, candles: Candles): void {
    this.dropLater.delete(key);
    if (this.series.has(key)) return;
    const columns = {} as Record<(typeof SHARED_COLUMNS)[number], SharedArrayBuffer>;
    for (const col of SHARED_COLUMNS) {
      const a = candles[col];
      // a column that already is a whole SharedArrayBuffer (the candle cache's) is shared, not copied
      if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) {
        columns[col] = a.buffer;
        continue;
      }
      const sab = new SharedArrayBuffer(a.length * 8);
      new Float64Array(sab).set(a);
      columns[col] = sab;
    }
    this.series.set(key, { key, symbol: candles.symbol, timeframe: candles.timeframe, columns });
  }

  drop(key: string): void {
    if (!this.series.has(key)) return;
    if ((this.pins.get(key) ?? 0) > 0) {
      this.dropLater.add(key);
      return;
    }
    this.dropLater.delete(key);
    this.series.delete(key);
    for (const s of this.slots) if (s.loaded.delete(key)) s.worker.postMessage({ type: 'drop', key } satisfies WorkerRequest);
  }

  /** Whether the series under `key` is held for tasks. */
  has(key: string): boolean {
    return this.series.has(key);
  }

  /** Series held for tasks (for tests and reports). */
  loadedKeys(): string[] {
    return [...this.series.keys()];
  }

  private pin(key: string, by: 1 | -1): void {
    const n = (this.pins.get(key) ?? 0) + by;
    if (n > 0) this.pins.set(key, n);
    else {
      this.pins.delete(key);
      if (this.dropLater.has(key)) this.drop(key);
    }
  }

  private spawn(): Slot {
    const worker = startWorker(this.script);
    const slot: Slot = { worker, loaded: new Set(), inflight: 0, ids: new Set() };
    worker.on('message', (msg: WorkerResponse) => {
      if (msg.type === 'indicator') {
        // computed by this worker: the others keep it too (serve.ts)
        for (const other of this.slots) if (other !== slot) other.worker.postMessage(msg satisfies WorkerRequest);
        return;
      }
      if (msg.type !== 'result') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      slot.ids.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(msg.cancelled ? new TaskCancelled() : new Error(msg.error));
    });
    // A worker that dies (an uncaught error, or it exits) fails only its own tasks, running or
    // queued; it leaves the pool, and the next task starts a replacement.
    const died = (why: string): void => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const id of slot.ids) {
        this.pending.get(id)?.reject(new Error(`worker thread stopped: ${why}`));
        this.pending.delete(id);
      }
      slot.ids.clear();
    };
    worker.on('error', (e) => died(e.message));
    worker.on('exit', (code) => {
      if (!this.closed) died(`it exited with code ${code}`);
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** One shared Int32 flag per signal (a study's, a batch's), set to 1 when it aborts. */
  private flagOf(signal: AbortSignal): SharedArrayBuffer {
    let flag = this.flags.get(signal);
    if (!flag) {
      const f = new SharedArrayBuffer(4);
      signal.addEventListener('abort', () => Atomics.store(new Int32Array(f), 0, 1), { once: true });
      this.flags.set(signal, f);
      flag = f;
    }
    return flag;
  }

  /** The least loaded worker; a new one while the pool has fewer than `size` and all are busy. */
  private freeSlot(): Slot {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.inflight < best.inflight) best = s;
    if (best && (best.inflight === 0 || this.slots.length >= this.size)) return best;
    return this.spawn();
  }

  run(task: BacktestTask, prune?: PruneSpec, signal?: AbortSignal): Promise<TaskResult> {
    this.pin(task.key, 1);
    return this.limit(() => {
      if (this.closed) return Promise.reject(new Error('worker pool is closed'));
      if (signal?.aborted) return Promise.reject(new TaskCancelled());
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
      // the worker reads this flag when it takes the task up, skipping it if it is set
      const cancel = signal ? this.flagOf(signal) : undefined;
      return new Promise<TaskResult>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        slot.ids.add(id);
        slot.worker.postMessage({ type: 'run', id, task, ...(prune ? { prune } : {}), ...(cancel ? { cancel } : {}) } satisfies WorkerRequest);
      }).finally(() => {
        if (--slot.inflight === 0) slot.worker.unref();
      });
    }).finally(() => this.pin(task.key, -1));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
    this.series.clear();
  }
}
