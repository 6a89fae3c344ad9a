/**
 * `tradelab enqueue <job.yaml> --storage URL` puts a job's studies in a shared PostgreSQL
 * storage; `tradelab worker --storage URL` (on any number of machines) runs their trials.
 */
import { UserError } from '../research/errors.js';
import { openRemote } from '../research/remote/backend.js';
import { DEFAULT_HEARTBEAT_MS, enqueueStudy } from '../research/remote/task.js';
import { runWorker } from '../research/remote/worker.js';
import { openCliApp } from './app.js';
import { countFlag, err, numberFlag, out, parse } from './args.js';
import { loadJobFile } from './optimize.js';
import { storageUrl } from './storage-url.js';

export const ENQUEUE_HELP = `tradelab enqueue <job.yaml> --storage postgresql://USER:PASS@HOST:PORT/DB [--task NAME]
                 [--heartbeat SECONDS] [--grace SECONDS] [--json]
  Puts each task of the job file (or only --task NAME) as a study in the shared PostgreSQL
  storage, with the dataset's bars, and returns at once: \`tradelab worker\` processes, on this
  or other machines, run its trials. The storage may also come from TRADELAB_DATABASE_URL.
  A study enqueued again with the same signature is resumed, not restarted.
  Its workers send a heartbeat for each running trial every --heartbeat s (default 10); a
  trial whose heartbeat is older than --grace s (default 2 × heartbeat) is failed by any
  worker and retried under a new number with the same params (at most 3 times), as Optuna's
  heartbeat and RetryFailedTrialCallback do. Both are stored on the study, so every worker
  judges alike. Not with the task's timeout or refine.`;

export const WORKER_HELP = `tradelab worker --storage postgresql://USER:PASS@HOST:PORT/DB [--study NAME] [--concurrency N]
                [--idle-exit SECONDS] [--home DIR] [--json]
  Takes trials of the studies enqueued in the shared storage (oldest first, or only --study)
  and runs N at a time in worker threads (default 1), the main thread sending the heartbeats
  of its running trials (RetryFailedTrialCallback-style retries: see tradelab enqueue --help).
  Start as many workers, on as many machines, as you like: trial numbers and claims are
  allocated in the database, the sampler sees every worker's trials, and each study stops at
  its n_trials. A study this worker cannot run (a task it refuses, a signature mismatch) is
  skipped with the reason, and the others run. Keep the machines' clocks in sync (NTP):
  heartbeats are judged on each worker's clock.
  --idle-exit S stops the worker after S seconds with nothing to do or wait for (default:
  keep polling). Ctrl-C stops at the next trial boundary.`;


export async function enqueueCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { storage: { type: 'string' }, task: { type: 'string' }, heartbeat: { type: 'string' }, grace: { type: 'string' }, json: { type: 'boolean' } }, 'enqueue', 1);
  if (v.help) return (out(ENQUEUE_HELP), 0);
  if (positionals.length !== 1) throw new UserError('enqueue needs one job file', { field: '<job.yaml>', expected: 'a job file path (see config/optimizer/)' });
  const url = storageUrl(v.storage);
  const beat = heartbeatFlags(v);
  const tasks = loadJobFile(positionals[0]).filter((t) => v.task === undefined || t.task_name === v.task || t.study_name === v.task);
  if (tasks.length === 0) throw new UserError(`no task named ${String(v.task)} in ${positionals[0]}`, { field: '--task', value: v.task });
  const remote = await openRemote(url);
  const app = openCliApp();
  try {
    const done = [];
    for (const t of tasks) {
      const e = await enqueueStudy(app, remote, t, beat);
      done.push({ study_name: e.study_name, study_id: e.study_id, n_trials: e.n_trials, dataset_hash: e.dataset_hash, existing_trials: e.existing_trials });
      if (!v.json) out(`enqueued ${e.study_name}: ${e.n_trials} trials${e.existing_trials ? ` (resumed: ${e.existing_trials} trial(s) already stored)` : ''} in ${remote.url}`);
    }
    if (v.json) out(JSON.stringify({ storage: remote.url, studies: done }));
    return 0;
  } finally {
    await remote.close();
    app.db.close();
  }
}

export async function workerCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(
    argv,
    { storage: { type: 'string' }, study: { type: 'string' }, concurrency: { type: 'string' }, 'idle-exit': { type: 'string' }, home: { type: 'string' }, json: { type: 'boolean' } },
    'worker',
  );
  if (v.help) return (out(WORKER_HELP), 0);
  const url = storageUrl(v.storage);
  const concurrency = countFlag(v.concurrency, 'concurrency') ?? 1;
  if (concurrency < 1) throw new UserError('--concurrency must be at least 1', { field: '--concurrency', value: concurrency, expected: 'trials run at once, ≥ 1 (default 1)' });
  const idle = numberFlag(v['idle-exit'], 'idle-exit');
  if (idle !== undefined && !(idle >= 0)) throw new UserError('--idle-exit must be a number of seconds ≥ 0', { field: '--idle-exit', value: idle, expected: 'seconds ≥ 0' });
  const ac = new AbortController();
  const stop = (): void => {
    if (!ac.signal.aborted) err('tradelab worker: stopping at the next trial boundary (Ctrl-C again to kill)');
    else process.exit(130);
    ac.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const summary = await runWorker({
    url,
    study: typeof v.study === 'string' ? v.study : undefined,
    concurrency,
    // used only for a study enqueued without its own (every study enqueued by this version has them)
    heartbeat_ms: DEFAULT_HEARTBEAT_MS,
    grace_ms: 2 * DEFAULT_HEARTBEAT_MS,
    idle_exit_ms: idle === undefined ? undefined : idle * 1000,
    home: typeof v.home === 'string' ? v.home : undefined,
    signal: ac.signal,
    log: (line) => err(`tradelab worker: ${line}`),
    onTrial: v.json ? (study, t) => out(JSON.stringify({ study, number: t.number, state: t.state, values: t.values })) : undefined,
  });
  err(`tradelab worker: ran ${summary.trials} trial(s) of ${summary.studies.length} study(ies) and ${summary.tasks} queued backtest(s); failed ${summary.stale_failed} stale trial(s) of other workers${summary.refused.length ? `; skipped ${summary.refused.join(', ')} (see above)` : ''}`);
  return ac.signal.aborted ? 130 : 0;
}

function heartbeatFlags(v: Record<string, string | boolean | undefined>): { heartbeat_ms: number; grace_ms: number } {
  const heartbeat = positive(numberFlag(v.heartbeat, 'heartbeat') ?? DEFAULT_HEARTBEAT_MS / 1000, 'heartbeat');
  const grace = positive(numberFlag(v.grace, 'grace') ?? 2 * heartbeat, 'grace');
  if (grace <= heartbeat) throw new UserError('--grace must be longer than --heartbeat', { field: '--grace', value: grace, expected: `more than ${heartbeat} s (default 2 × heartbeat)` });
  return { heartbeat_ms: heartbeat * 1000, grace_ms: grace * 1000 };
}

function positive(n: number, flag: string): number {
  if (!(n > 0)) throw new UserError(`--${flag} must be a positive number of seconds`, { field: `--${flag}`, value: n, expected: 'seconds > 0' });
  return n;
}
