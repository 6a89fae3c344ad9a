/**
 * One worker working one remote study: it rebuilds the study's objective from the stored
 * task (the dataset's bars fetched once into this worker's scratch store), then runs trials
 * with the study's own sampler until the study has its n_trials trials done or running.
 * Meanwhile it records a heartbeat for its running trials and fails the trials of workers
 * whose heartbeat stopped (each retried once as a new WAITING trial with the same params,
 * as Optuna's heartbeat and RetryFailedTrialCallback do); it returns when no trial is left
 * to run or wait for.
 */
import { hostname } from 'node:os';
import { optimize, type OptimizeSummary } from '../../engine/optimizer/optimize.js';
import { countsTowardsLimit } from '../../engine/optimizer/store.js';
import type { Study } from '../../engine/optimizer/study.js';
import type { FrozenTrial } from '../../engine/optimizer/trial.js';
import { findDatasetByHash, insertDataset } from '../../storage/datasets.js';
import type { App } from '../app.js';
import { getEvaluator, queueAhead } from '../evaluator.js';
import type { OptimizeTaskInput } from '../optimize/job.js';
import { makeObjective, type ObjectiveStats } from '../optimize/objective.js';
import { resolveTask } from '../optimize/resolve.js';
import { openStudy } from '../optimize/run-study.js';
import type { RemoteBackend } from './backend.js';
import { ledgerOnTrial } from './ledger-on-trial.js';
import type { RemoteTask } from './task.js';

export interface StudyWorkOptions {
  readonly concurrency: number;
  readonly heartbeat_ms: number;
  readonly grace_ms: number;
  readonly signal: AbortSignal;
  /** Keep fresh results in the scratch store's result cache (worth it only when the store outlives the worker: --home). */
  readonly cache: boolean;
  readonly onTrial?: (t: FrozenTrial) => void;
  readonly log: (line: string) => void;
}

export interface StudyWorkResult {
  readonly trials: number;
  readonly stale_failed: readonly number[];
  readonly stop: OptimizeSummary['stop_reason'] | 'done';
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** The study's dataset in this worker's scratch store (fetched from the shared storage the first time). */
async function localDataset(app: App, remote: RemoteBackend, hash: string): Promise<number> {
  const have = findDatasetByHash(app.db, hash);
  if (have) return have.id;
  const got = await remote.getDataset(hash);
  if (!got) throw new Error(`dataset ${hash} of the study is not in the shared storage (${remote.url})`);
  return insertDataset(app.db, { candles: got, source: `shared storage ${remote.url}`, now: app.now() }).dataset.id;
}


export async function workStudy(app: App, remote: RemoteBackend, name: string, spec: RemoteTask, opts: StudyWorkOptions): Promise<StudyWorkResult> {
  const datasetId = await localDataset(app, remote, spec.dataset_hash);
  const input = { ...(spec.task as unknown as OptimizeTaskInput), dataset_id: datasetId, symbol: undefined, timeframe: undefined, n_jobs: opts.concurrency };
  const r = resolveTask(app, input);
  const owner = `${hostname()}:${process.pid}`;
  const study: Study = await openStudy(app, r, remote.store, { owner, isLive: () => true, trial_limit: spec.n_trials });
  const id = study.record.study_id;
  const staleFailed: number[] = [];
  const tick = async (): Promise<void> => {
    const now = app.now();
    await remote.store.heartbeat(id, study.ownNumbers(), now);
    const { failed } = await remote.store.failStaleTrials(id, now, opts.grace_ms);
    for (const n of failed) {
      staleFailed.push(n);
      opts.log(`trial ${n} of ${name} had no heartbeat for ${opts.grace_ms / 1000} s: failed and queued again`);
    }
  };
  let ticking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = ticking.then(tick).catch((e: unknown) => opts.log(`heartbeat of ${name} failed: ${(e as Error).message}`));
  }, opts.heartbeat_ms);
  const evaluator = getEvaluator(app, opts.concurrency);
  evaluator.load(r.dataset.content_hash, r.series);
  const stats: ObjectiveStats = { cache_hits: 0, evaluated: 0 };
  // the trials' ledger entries travel on the trials (the server following the study records them)
  const objective = ledgerOnTrial((sink) => makeObjective(app, r, `worker:${owner}`, () => study, evaluator, stats, { sink, cache: opts.cache }));
  let trials = 0;
  let stop: StudyWorkResult['stop'] = 'done';
  try {
    await tick();
    while (!opts.signal.aborted) {
      const run = await optimize(study, objective, {
        signal: opts.signal,
        n_jobs: opts.concurrency,
        queue_ahead: queueAhead(evaluator),
        onTrial: (t) => {
          trials++;
          opts.onTrial?.(t);
        },
      });
      if (run.stop_reason !== 'n_trials') {
        stop = run.stop_reason;
        break;
      }
      // the study's trials are all taken: wait for the other workers' running ones (a worker
      // that dies leaves them to be failed and queued again, and then they run here)
      await study.sync();
      const open = study.trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING');
      if (open.length === 0 && study.trials.filter(countsTowardsLimit).length >= spec.n_trials) break;
      if (!open.some((t) => t.state === 'WAITING')) await sleep(opts.heartbeat_ms, opts.signal);
      await ticking;
    }
  } finally {
    clearInterval(timer);
    await ticking;
  }
  return { trials, stale_failed: staleFailed, stop };
}
