/**
 * `tradelab worker`: a process that takes trials of the studies enqueued in a shared
 * PostgreSQL storage, on any number of machines at once. It runs one study at a time (the
 * oldest with trials left, or only --study), with `concurrency` trials in parallel
 * (worker threads), and polls for new studies when there is nothing to do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrozenTrial } from '../../engine/optimizer/trial.js';
import { openApp, type App } from '../app.js';
import { WorkerPool } from '../../engine/parallel/pool.js';
import type { StudyRecord } from '../../engine/optimizer/store.js';
import { closeEvaluators, ENGINE_WORKER_SCRIPT } from '../evaluator.js';
import { ServerClock } from './server-clock.js';
import { openRemote } from './backend.js';
import { openRemoteStudy, workStudy, type OpenedStudy } from './study-worker.js';
import { runQueuedTasks } from './task-worker.js';
import { CANCELLED_ATTR, EXHAUSTED_ATTR, pauseFor } from './watch.js';
import { remoteTaskOf } from './task.js';

export interface WorkerOptions {
  readonly url: string;
  /** Only this study (default: every enqueued study, oldest first). */
  readonly study?: string;
  readonly concurrency: number;
  readonly heartbeat_ms: number;
  /** A RUNNING trial whose heartbeat is older than this is failed and retried (Optuna: 2 × the heartbeat interval). */
  readonly grace_ms: number;
  /** Stop after this long with nothing to do (default: keep polling until stopped). */
  readonly idle_exit_ms?: number;
  readonly poll_ms?: number;
  /** This worker's scratch store (the dataset bars, the result cache, its own ledger); default a temp dir removed at exit. */
  readonly home?: string;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  readonly onTrial?: (study: string, t: FrozenTrial) => void;
  /** This machine's clock (default Date.now; tests give a skewed one): the worker runs on it plus its offset to the database's. */
  readonly local_clock?: () => number;
}

/** How often a worker measures its clock's offset to the database's again. */
const CLOCK_SYNC_MS = 60_000;

export interface WorkerSummary {
  readonly trials: number;
  /** Backtest tasks (batch items) run from the queue. */
  readonly tasks: number;
  readonly studies: readonly string[];
  readonly stale_failed: number;
  /** Studies this worker could not run (the reason was logged). */
  readonly refused: readonly string[];
}

/** Consecutive failures to list the studies (the database unreachable) before the worker gives up. */
const LIST_FAILURES = 30;

export async function runWorker(opts: WorkerOptions): Promise<WorkerSummary> {
  const remote = await openRemote(opts.url);
  const temp = opts.home ? null : mkdtempSync(join(tmpdir(), 'tradelab-worker-'));
  let app: App | undefined;
  // trials always run in worker threads, so the main thread is free for the heartbeats
  let evaluator: WorkerPool | undefined;
  let trials = 0;
  let staleFailed = 0;
  const worked = new Set<string>();
  /** Studies this worker cannot run (their task or data is refused here): skipped from then on. */
  const refused = new Set<string>();
  /** Studies opened here, kept between visits (a visit then reads only what changed). */
  const opened = new Map<string, OpenedStudy>();
  let tasks = 0;
  let idleSince = Date.now();
  let listFailures = 0;
  const poll = opts.poll_ms ?? 1000;
  const pause = (): Promise<void> => pauseFor(poll, opts.signal);
  opts.log(`worker ${process.pid}: ${remote.url}, ${opts.concurrency} trial(s) at a time${opts.study ? `, study ${opts.study}` : ''}`);
  const clock = new ServerClock(() => remote.databaseNow(), opts.local_clock);
  let synced = 0;
  const syncClock = async (): Promise<void> => {
    const ms = await clock.sync();
    synced = Date.now();
    if (Math.abs(ms) > 1000) opts.log(`this machine's clock is ${(Math.abs(ms) / 1000).toFixed(1)} s ${ms > 0 ? 'behind' : 'ahead of'} the database's; this worker runs on the database's clock`);
  };
  try {
    await syncClock();
    const home = opts.home ?? (temp as string);
    // its own scratch store, a SQLite file, even when TRADELAB_DATABASE_URL names the shared database
    app = openApp({ home, dbFile: join(home, 'tradelab.db'), config: {}, now: clock.now });
    evaluator = new WorkerPool(opts.concurrency, ENGINE_WORKER_SCRIPT);
    while (!opts.signal.aborted) {
      if (Date.now() - synced >= CLOCK_SYNC_MS) await syncClock().catch((e: unknown) => opts.log(`cannot read the database's clock (${(e as Error).message}); keeping the last offset`));
      let busy = false;
      let didWork = false;
      let studies: StudyRecord[];
      try {
        studies = await remote.store.listStudies();
        listFailures = 0;
      } catch (e) {
        if (++listFailures >= LIST_FAILURES) throw e;
        opts.log(`cannot list the studies (${(e as Error).message}); trying again`);
        await pause();
        continue;
      }
      for (const s of studies) {
        if (opts.signal.aborted) break;
        if (opts.study !== undefined && s.name !== opts.study) continue;
        if (refused.has(s.name)) continue;
        try {
          const spec = remoteTaskOf(s.system_attrs);
          if (!spec) continue;
          if (s.system_attrs[CANCELLED_ATTR]) continue; // its run was cancelled (known from the listing: no query)
          const left = await remote.studyWork(s.study_id);
          // done, or exhausted, and nothing open: not even opened
          if (left.open === 0 && (left.counted >= spec.n_trials || s.system_attrs[EXHAUSTED_ATTR] !== undefined)) continue;
          // open trials (another worker's, perhaps dead) keep this worker around to retry them
          if (left.open > 0) busy = true;
          let o = opened.get(s.name);
          if (!o) opened.set(s.name, (o = await openRemoteStudy(app, remote, spec, opts.concurrency)));
          const res = await workStudy(o, remote, evaluator, s.name, spec, {
            concurrency: opts.concurrency,
            heartbeat_ms: opts.heartbeat_ms,
            grace_ms: opts.grace_ms,
            signal: opts.signal,
            cache: opts.home !== undefined,
            log: opts.log,
            onTrial: (t) => opts.onTrial?.(s.name, t),
          });
          trials += res.trials;
          staleFailed += res.stale_failed.length;
          if (res.trials > 0) {
            busy = true;
            didWork = true;
            worked.add(s.name);
            opts.log(`study ${s.name}: ${res.trials} trial(s) run here; ${res.stop === 'done' ? 'no trial left to take' : `stopped (${res.stop})`}`);
          }
        } catch (e) {
          // one study this worker cannot run (a task it refuses, a signature it does not match,
          // data it cannot load) must not stop it from running the others
          refused.add(s.name);
          opts.log(`study ${s.name} skipped by this worker: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      // then the backtest tasks (batch items) waiting in the queue
      if (!opts.signal.aborted && opts.study === undefined) {
        try {
          const ran = await runQueuedTasks(remote, evaluator, { concurrency: opts.concurrency, signal: opts.signal, log: opts.log, now: app.now });
          if (ran > 0) {
            busy = true;
            didWork = true;
            tasks += ran;
            opts.log(`ran ${ran} queued backtest(s)`);
          }
        } catch (e) {
          opts.log(`cannot run the queued backtests now (${(e as Error).message}); trying again`);
        }
      }
      if (busy) idleSince = Date.now();
      else if (opts.idle_exit_ms !== undefined && Date.now() - idleSince >= opts.idle_exit_ms) break;
      if (!didWork) await pause();
    }
  } finally {
    await evaluator?.close();
    if (app) {
      await closeEvaluators(app);
      app.db.close();
    }
    await remote.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
  return { trials, tasks, studies: [...worked], stale_failed: staleFailed, refused: [...refused] };
}
