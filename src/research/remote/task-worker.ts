/**
 * A worker's share of the backtest task queue (batch items run with n_workers: "external"):
 * it takes up to `concurrency` tasks at once, runs each on its evaluator (the series' bars
 * fetched from the shared storage once), sends heartbeats while they run, and stores each
 * result or error. Tasks of a worker that stopped sending heartbeats go back to the queue.
 */
import { PROCESS_OWNER } from '../../storage/process-identity.js';
import type { WorkerPool } from '../../engine/parallel/pool.js';
import type { RemoteBackend } from './backend.js';
import { decodeTask, encodeResult } from './task-codec.js';

/** Heartbeat of a running task (the queue's grace is several times this). */
const TASK_HEARTBEAT_MS = 1000;

export interface TaskWorkOptions {
  readonly concurrency: number;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  readonly now: () => number;
}

/** Runs queued tasks until none waits (or the signal stops it); returns how many it ran. */
export async function runQueuedTasks(remote: RemoteBackend, evaluator: WorkerPool, opts: TaskWorkOptions): Promise<number> {
  const owner = PROCESS_OWNER;
  await remote.tasks.requeueStale(opts.now());
  if (!(await remote.tasks.anyWaiting())) return 0;
  const running = new Set<number>();
  const timer = setInterval(() => {
    remote.tasks.heartbeat([...running], owner, opts.now()).catch((e: unknown) => opts.log(`task heartbeat failed: ${(e as Error).message}`));
  }, TASK_HEARTBEAT_MS);
  let ran = 0;
  const slot = async (): Promise<void> => {
    while (!opts.signal.aborted) {
      const taken = await remote.tasks.take(owner, opts.now());
      if (!taken) return;
      running.add(taken.task_id);
      let outcome: { result: string } | { error: string };
      try {
        const task = decodeTask(taken.task);
        // a series a study of this worker loaded already (same content-hash key) is not fetched again
        if (!evaluator.has(task.key)) {
          const candles = await remote.getDataset(task.key);
          if (!candles) throw new Error(`dataset ${task.key} is not in the shared storage`);
          evaluator.load(task.key, candles);
        }
        outcome = { result: encodeResult(await evaluator.run(task)) };
      } catch (e) {
        outcome = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      }
      running.delete(taken.task_id);
      if (!(await remote.tasks.finish(taken.task_id, owner, outcome, opts.now()))) {
        opts.log(`task ${taken.task_id} was put back while it ran here (no heartbeat in time): its result is dropped`);
      } else ran++;
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, slot));
  } finally {
    clearInterval(timer);
  }
  return ran;
}
