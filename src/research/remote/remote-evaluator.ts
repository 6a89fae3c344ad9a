/**
 * An Evaluator whose tasks run on `tradelab worker` processes, through the shared task queue:
 * `load` stores the series' bars in the shared storage (once), `run` queues the task and
 * waits for a worker's result. A batch runs its items on it with n_workers: "external"; the
 * items are then stored here, as child runs of the batch, like items run locally.
 */
import { TaskCancelled } from '../../engine/cancel.js';
import type { Candles } from '../../engine/data/candles.js';
import type { Evaluator } from '../../engine/parallel/pool.js';
import type { BacktestTask, TaskResult } from '../../engine/parallel/task.js';
import type { RemoteBackend } from './backend.js';
import { decodeResult, encodeTask } from './task-codec.js';

/** How often a waiting item looks for its result; one query answers every item waiting. */
const POLL_MS = 200;

export class RemoteEvaluator implements Evaluator {
  /** Items queued at once: the workers, however many, always find work. */
  readonly size = 256;
  private readonly stored = new Map<string, Promise<string>>();
  private readonly waiting = new Map<number, (r: { state: string; result: string | null; error: string | null }) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly bySignal = new WeakMap<AbortSignal, Map<number, () => void>>();
  private nextItem = 0;

  constructor(
    private readonly remote: RemoteBackend,
    /** Names this evaluator's tasks in the queue (the batch run id). */
    private readonly queue: string,
    private readonly graceMs: number,
    private readonly now: () => number,
  ) {}

  load(key: string, candles: Candles): void {
    if (!this.stored.has(key)) {
      const p = this.remote.putDataset(candles, this.now());
      p.catch(() => this.stored.delete(key));
      this.stored.set(key, p);
    }
  }

  drop(): void {
    // the shared storage keeps the bars (other batches and workers may use them)
  }

  async run(task: BacktestTask, _prune?: unknown, signal?: AbortSignal): Promise<TaskResult> {
    const stored = this.stored.get(task.key);
    if (!stored) throw new Error(`series ${task.key} was not loaded`);
    await stored;
    if (signal?.aborted) throw new TaskCancelled();
    const id = await this.remote.tasks.enqueue(this.queue, this.nextItem++, encodeTask(task), this.graceMs, this.now());
    const pending = signal ? this.pendingOn(signal) : undefined;
    const outcome = await new Promise<{ state: string; result: string | null; error: string | null }>((resolve) => {
      this.waiting.set(id, resolve);
      const withdrawn = (): void => {
        this.waiting.delete(id);
        resolve({ state: 'WITHDRAWN', result: null, error: null });
      };
      pending?.set(id, withdrawn);
      // stopped while it was being queued: the listener has already run
      if (signal?.aborted) this.withdraw(id, withdrawn);
      this.poll();
    }).finally(() => pending?.delete(id));
    if (outcome.state === 'WITHDRAWN') throw new TaskCancelled();
    if (outcome.state === 'FAIL' || outcome.result === null) throw new Error(`a worker could not run the item: ${outcome.error ?? 'no result'}`);
    return decodeResult(outcome.result);
  }

  /**
   * The items waiting under one signal (a batch's stop), withdrawn together when it aborts: one
   * listener per signal, however many items share it. A task a worker already runs is waited for.
   */
  private pendingOn(signal: AbortSignal): Map<number, () => void> {
    let m = this.bySignal.get(signal);
    if (!m) {
      const items = new Map<number, () => void>();
      m = items;
      this.bySignal.set(signal, items);
      signal.addEventListener(
        'abort',
        () => {
          for (const [id, withdrawn] of items) this.withdraw(id, withdrawn);
        },
        { once: true },
      );
    }
    return m;
  }

  private withdraw(id: number, withdrawn: () => void): void {
    void this.remote.tasks
      .withdraw(id, this.now())
      .then((w) => w && withdrawn())
      .catch(() => undefined); // then it is waited for like any other
  }

  private poll(): void {
    if (this.timer || this.waiting.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const ids = [...this.waiting.keys()];
      this.remote.tasks
        .outcomes(ids)
        .then((m) => {
          for (const [id, o] of m) {
            if (o.state !== 'DONE' && o.state !== 'FAIL') continue;
            this.waiting.get(id)?.(o);
            this.waiting.delete(id);
          }
        })
        .catch(() => undefined) // a read that failed is tried again at the next poll
        .finally(() => this.poll());
    }, POLL_MS);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
