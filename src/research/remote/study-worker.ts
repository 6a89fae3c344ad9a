/**
 * One worker working one remote study: it rebuilds the study's objective from the stored
 * task once (the dataset's bars fetched once into this worker's scratch store), then, on each
 * visit, runs trials with the study's own sampler while the study's budget (n_trials) has
 * room or a trial waits to run again. Meanwhile it sends the heartbeats of its running
 * trials and fails the trials of workers whose heartbeat stopped (each retried as a new
 * WAITING trial with the same params, at most 3 times, as Optuna's heartbeat and
 * RetryFailedTrialCallback do); it returns when nothing is left for it to take.
 */
import { optimize, type OptimizeSummary } from '../../engine/optimizer/optimize.js';
import type { Study } from '../../engine/optimizer/study.js';
import type { FrozenTrial } from '../../engine/optimizer/trial.js';
import { findDatasetByHash, insertDataset } from '../../storage/datasets.js';
import { PROCESS_OWNER } from '../../storage/process-identity.js';
import type { App } from '../app.js';
import { queueAhead } from '../evaluator.js';
import type { Evaluator } from '../../engine/parallel/pool.js';
import type { OptimizeTaskInput } from '../optimize/job.js';
import { makeObjective, type ObjectiveStats } from '../optimize/objective.js';
import { resolveTask, type ResolvedTask } from '../optimize/resolve.js';
import { openStudy } from '../optimize/run-study.js';
import type { RemoteBackend } from './backend.js';
import { ledgerOnTrial } from './ledger-on-trial.js';
import { CANCELLED_ATTR, EXHAUSTED_ATTR } from './watch.js';

/** How often a worker checks whether the study it runs was cancelled. */
const CANCEL_POLL_MS = 1000;
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

/** The study's dataset in this worker's scratch store (fetched from the shared storage the first time). */
async function localDataset(app: App, remote: RemoteBackend, hash: string): Promise<number> {
  const have = findDatasetByHash(app.db, hash);
  if (have) return have.id;
  const got = await remote.getDataset(hash);
  if (!got) throw new Error(`dataset ${hash} of the study is not in the shared storage (${remote.url})`);
  return insertDataset(app.db, { candles: got, source: `shared storage ${remote.url}`, now: app.now() }).dataset.id;
}


/**
 * A study as a worker keeps it between visits: resolved, opened and its objective built once;
 * a later visit only reads what the other writers did since (the study's mirror).
 */
export interface OpenedStudy {
  readonly app: App;
  readonly r: ResolvedTask;
  readonly study: Study;
}

export async function openRemoteStudy(local: App, remote: RemoteBackend, spec: RemoteTask, concurrency: number): Promise<OpenedStudy> {
  // the task is checked against the limits of the store that enqueued it (it passed them there)
  const app: App = spec.limits ? { ...local, config: { ...local.config, limits: { ...local.config.limits, ...spec.limits } } } : local;
  const datasetId = await localDataset(app, remote, spec.dataset_hash);
  const input = { ...(spec.task as unknown as OptimizeTaskInput), dataset_id: datasetId, symbol: undefined, timeframe: undefined, n_jobs: concurrency };
  const r = resolveTask(app, input);
  const study: Study = await openStudy(app, r, remote.store, { owner: PROCESS_OWNER, isLive: () => true, trial_limit: spec.n_trials });
  return { app, r, study };
}

export async function workStudy(opened: OpenedStudy, remote: RemoteBackend, evaluator: Evaluator, name: string, spec: RemoteTask, opts: StudyWorkOptions): Promise<StudyWorkResult> {
  const { app, r, study } = opened;
  const owner = PROCESS_OWNER;
  const id = study.record.study_id;
  // the study's own heartbeat settings (every worker judges staleness alike), else this worker's
  const heartbeatMs = spec.heartbeat_ms ?? opts.heartbeat_ms;
  const graceMs = spec.grace_ms ?? opts.grace_ms;
  const staleFailed: number[] = [];
  const tick = async (): Promise<void> => {
    const now = app.now();
    await remote.store.heartbeat(id, study.ownNumbers(), now);
    const { failed, retries } = await remote.store.failStaleTrials(id, now, graceMs);
    failed.forEach((n, i) => {
      staleFailed.push(n);
      opts.log(`trial ${n} of ${name} had no heartbeat for ${graceMs / 1000} s: failed${retries[i] === undefined ? ' (retried too often: not again)' : `, retried as trial ${retries[i]}`}`);
    });
  };
  let ticking: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  // a cancelled study (cancel_run of the run that follows it) stops here at the next trial boundary
  const cancel = new AbortController();
  const signal = AbortSignal.any([opts.signal, cancel.signal]);
  const watchCancel = setInterval(() => {
    remote.store
      .getStudy(name)
      .then((rec) => {
        if (rec?.system_attrs[CANCELLED_ATTR] && !cancel.signal.aborted) {
          opts.log(`study ${name} was cancelled: stopping at the next trial boundary`);
          cancel.abort();
        }
      })
      .catch(() => undefined);
  }, CANCEL_POLL_MS);
  let trials = 0;
  let stop: StudyWorkResult['stop'] = 'done';
  try {
    evaluator.load(r.dataset.content_hash, r.series);
    const stats: ObjectiveStats = { cache_hits: 0, evaluated: 0 };
    // the trials' ledger entries travel on the trials (the server following the study records them)
    const objective = ledgerOnTrial((sink) => makeObjective(app, r, `worker:${owner}`, () => study, evaluator, stats, { sink, cache: opts.cache }));
    await tick();
    timer = setInterval(() => {
      ticking = ticking.then(tick).catch((e: unknown) => opts.log(`heartbeat of ${name} failed: ${(e as Error).message}`));
    }, heartbeatMs);
    while (!signal.aborted) {
      const run = await optimize(study, objective, {
        signal,
        n_jobs: opts.concurrency,
        // one trial at a time per thread: on a small machine a queued trial only competes with the other workers
        queue_ahead: opts.concurrency > 1 ? queueAhead(evaluator) : 0,
        onTrial: (t) => {
          trials++;
          opts.onTrial?.(t);
        },
        onLost: (n) => opts.log(`trial ${n} of ${name} was failed by another worker while it ran here (no heartbeat in time): its result is dropped`),
      });
      if (run.stop_reason === 'exhausted') await remote.store.setStudyAttr(id, 'system', EXHAUSTED_ATTR, { at: app.now(), detail: run.stop_detail });
      if (run.stop_reason !== 'n_trials') {
        stop = run.stop_reason;
        break;
      }
      // the study's trials are all taken: run any queued again here, else go back to the
      // study list (this study is looked at again on the next poll, and its stale trials failed)
      await study.sync();
      if (!study.trials.some((t) => t.state === 'WAITING')) break;
    }
  } finally {
    clearInterval(timer);
    clearInterval(watchCancel);
    await ticking;
  }
  return { trials, stale_failed: staleFailed, stop };
}
