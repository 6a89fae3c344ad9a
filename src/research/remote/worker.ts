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
import { openApp } from '../app.js';
import { closeEvaluators } from '../evaluator.js';
import { openRemote } from './backend.js';
import { workStudy } from './study-worker.js';
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
}

export interface WorkerSummary {
  readonly trials: number;
  readonly studies: readonly string[];
  readonly stale_failed: number;
}

export async function runWorker(opts: WorkerOptions): Promise<WorkerSummary> {
  const remote = await openRemote(opts.url);
  const temp = opts.home ? null : mkdtempSync(join(tmpdir(), 'tradelab-worker-'));
  const app = openApp({ home: opts.home ?? (temp as string), config: {} });
  let trials = 0;
  let staleFailed = 0;
  const worked = new Set<string>();
  let idleSince = Date.now();
  const poll = opts.poll_ms ?? 1000;
  opts.log(`worker ${process.pid}: ${remote.url}, ${opts.concurrency} trial(s) at a time${opts.study ? `, study ${opts.study}` : ''}`);
  try {
    while (!opts.signal.aborted) {
      let didWork = false;
      for (const s of await remote.store.listStudies()) {
        if (opts.signal.aborted) break;
        if (opts.study !== undefined && s.name !== opts.study) continue;
        const spec = remoteTaskOf(s.system_attrs);
        if (!spec) continue;
        const left = await remote.studyWork(s.study_id);
        if (left.open === 0 && left.counted >= spec.n_trials) continue; // done: not even opened
        const res = await workStudy(app, remote, s.name, spec, {
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
          didWork = true;
          worked.add(s.name);
          opts.log(`study ${s.name}: ${res.trials} trial(s) run here; ${res.stop === 'done' ? 'no trial left' : `stopped (${res.stop})`}`);
        }
      }
      if (didWork) idleSince = Date.now();
      else if (opts.idle_exit_ms !== undefined && Date.now() - idleSince >= opts.idle_exit_ms) break;
      if (!didWork) await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, poll);
        opts.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  } finally {
    await closeEvaluators(app);
    app.db.close();
    await remote.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
  return { trials, studies: [...worked], stale_failed: staleFailed };
}
