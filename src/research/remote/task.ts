/**
 * A study for remote workers: the optimisation task as stored on the study itself (system
 * attribute `tradelab_task`), so that any worker on any machine can rebuild exactly the
 * objective the study was created with: the task with its defaults filled in, the dataset
 * pinned by content hash (its bars are stored beside the study), and n_trials, the number of
 * COMPLETE-or-running trials the workers together stop at.
 */
import { PROCESS_OWNER } from '../../storage/process-identity.js';
import type { AttrValue } from '../../engine/optimizer/trial.js';
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import type { OptimizeTaskInput } from '../optimize/job.js';
import { resolveTask, type ResolvedTask } from '../optimize/resolve.js';
import type { Study } from '../../engine/optimizer/study.js';
import { openStudy } from '../optimize/run-study.js';
import { taskDefinition } from '../strategies.js';
import type { RemoteBackend } from './backend.js';
import { CANCELLED_ATTR } from './watch.js';

/** The study system attribute holding the task. */
export const TASK_ATTR = 'tradelab_task';

export interface RemoteTask {
  readonly version: 1;
  /** The parsed task (defaults filled in), its dataset named by symbol/timeframe for people. */
  readonly task: Record<string, AttrValue>;
  readonly dataset_hash: string;
  readonly n_trials: number;
  readonly enqueued_at: number;
  readonly enqueued_by: string;
  /** Heartbeat interval and grace every worker of the study uses (so all judge staleness alike). */
  readonly heartbeat_ms?: number;
  readonly grace_ms?: number;
  /** The enqueuing store's max_bars and max_trials: the workers check the task against these, not their own defaults. */
  readonly limits?: { readonly max_bars: number; readonly max_trials: number };
}

export interface EnqueueOptions {
  readonly heartbeat_ms?: number;
  readonly grace_ms?: number;
}

/** Optuna's usual setting is a heartbeat every 60 s; 10 s lets a dead worker's trial run again sooner. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

export interface EnqueuedStudy {
  readonly study_name: string;
  readonly study_id: number;
  readonly n_trials: number;
  readonly dataset_hash: string;
  /** Trials the study already had (a study enqueued again is resumed, not restarted). */
  readonly existing_trials: number;
  readonly study: Study;
  readonly resolved: ResolvedTask;
}

/**
 * Resolves the task against this machine's store (strategy, dataset, space, objectives),
 * copies the dataset's bars to the shared storage, creates (or resumes) the study there
 * and stores the task on it. Nothing runs here: workers take the trials.
 */
export async function enqueueStudy(app: App, remote: RemoteBackend, input: OptimizeTaskInput, opts: EnqueueOptions = {}): Promise<EnqueuedStudy> {
  const heartbeat = opts.heartbeat_ms ?? DEFAULT_HEARTBEAT_MS;
  const grace = opts.grace_ms ?? 2 * heartbeat;
  if (!(heartbeat > 0) || !(grace > heartbeat)) {
    throw new UserError('the grace must be longer than the heartbeat interval', { field: 'grace', value: grace / 1000, expected: `seconds > the heartbeat (${heartbeat / 1000} s)` });
  }
  const r = resolveTask(app, input);
  if (r.task.timeout !== undefined) {
    throw new UserError('timeout is not available with external workers: the study runs until the workers finish its n_trials', { field: 'timeout', value: r.task.timeout, expected: 'no timeout with n_workers: "external" (stop the workers instead)' });
  }
  if (r.task.refine) throw new UserError('refine is not available with external workers yet: run the fine study as its own task', { field: 'refine', expected: 'no refine with n_workers: "external"' });
  await remote.putDataset(r.series, app.now());
  const study = await openStudy(app, r, remote.store, { owner: `enqueue:${PROCESS_OWNER}`, isLive: () => true });
  const { dataset_id: _id, n_jobs: _jobs, n_workers: _workers, ...task } = r.task as OptimizeTaskInput & Record<string, unknown>;
  void _id;
  void _jobs;
  void _workers;
  const canonical = taskDefinition(r.strategy);
  const stored: RemoteTask = {
    version: 1,
    // a language strategy travels as its document (workers keep no store of definitions); it
    // compiles to the same name@hash, so the study's signature matches on every worker
    task: JSON.parse(JSON.stringify({ ...task, strategy: canonical ? (JSON.parse(canonical) as unknown) : task.strategy, symbol: r.dataset.symbol, timeframe: r.dataset.timeframe, study_name: r.study_name })) as Record<string, AttrValue>,
    dataset_hash: r.dataset.content_hash,
    n_trials: r.n_trials,
    enqueued_at: app.now(),
    enqueued_by: PROCESS_OWNER,
    heartbeat_ms: heartbeat,
    grace_ms: grace,
    limits: { max_bars: app.config.limits.max_bars, max_trials: app.config.limits.max_trials },
  };
  await remote.store.setStudyAttr(study.record.study_id, 'system', TASK_ATTR, stored as unknown as AttrValue);
  // enqueued again after a cancel: the workers take it up again
  if (study.record.system_attrs[CANCELLED_ATTR]) await remote.store.setStudyAttr(study.record.study_id, 'system', CANCELLED_ATTR, null);
  return { study_name: r.study_name, study_id: study.record.study_id, n_trials: r.n_trials, dataset_hash: r.dataset.content_hash, existing_trials: study.trials.length, study, resolved: r };
}

/** The task stored on a study, or null when the study was not enqueued for workers. */
export function remoteTaskOf(systemAttrs: Readonly<Record<string, AttrValue>>): RemoteTask | null {
  const t = systemAttrs[TASK_ATTR] as unknown as RemoteTask | undefined;
  if (!t || typeof t !== 'object') return null;
  if (t.version !== 1) throw new Error(`study task version ${String(t.version)} is not known to this tradelab (1); upgrade the worker`);
  return t;
}
