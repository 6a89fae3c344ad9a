/**
 * The optimize workflow as a server job: validate the task up front (bad input fails the
 * call, not the job), then run the study in the job runner with progress per trial.
 */
import { unflatten } from '../../engine/optimizer/paths.js';
import { NO_FAIL_REASON } from '../../engine/optimizer/results.js';
import type { RunRow } from '../../storage/runs.js';
import { studyTrialRows } from '../../storage/study-report.js';
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { parseStrict } from '../strict-input.js';
import { JobFailed, type JobRunner } from '../jobs.js';
import { registerSection, pageOf } from '../run-sections.js';
import { optimizeTaskSchema, type OptimizeTask, type OptimizeTaskInput } from './job.js';
import { resolveTask } from './resolve.js';
import { studyFailureOf } from './outcome.js';
import { progressMessage, taskProgress } from './progress.js';
import { openStudy, runStudy } from './run-study.js';
import { sharedRemote } from '../remote/shared.js';
import { enqueueStudy } from '../remote/task.js';

export function parseTask(input: unknown, field = 'task'): OptimizeTask {
  return parseStrict(optimizeTaskSchema, input, { source: `invalid ${field}` });
}


/**
 * Starts an optimize job; returns its run row (queued/running). The task is validated and
 * the study opened (or its resume signature checked) before a job exists, so bad input and
 * refused resumes fail the call itself.
 */
export async function startOptimize(app: App, jobs: JobRunner, clientId: string, input: OptimizeTaskInput): Promise<RunRow> {
  const external = input.n_workers === 'external';
  const enqueued = external ? await enqueueStudy(app, await sharedRemote(app), input) : null;
  const r = enqueued?.resolved ?? resolveTask(app, input);
  const task = r.task;
  const study = enqueued?.study ?? (await openStudy(app, r));
  const count = taskProgress(task, r.n_trials);
  const spec = { ...task, study_name: r.study_name } as Record<string, unknown>;
  return jobs.start(
    'optimize',
    clientId,
    spec,
    async (ctx) => {
      const seconds = app.config.limits.max_wall_seconds;
      const summary = await runStudy(app, { ...task, study_name: r.study_name }, {
        run_id: ctx.run_id,
        signal: ctx.signal,
        // external workers are not bound by this server's wall limit
        wall: external ? undefined : { deadline: app.now() + seconds * 1000, seconds },
        external,
        onTrial: (e) => {
          const c = count(e);
          ctx.progress(c.done, c.total, progressMessage(e));
        },
      }, { r, study });
      const failure = studyFailureOf(summary);
      if (failure) throw new JobFailed(failure, summary);
      return summary;
    },
    { strategy: r.strategy.name, dataset_id: r.dataset.id },
  );
}

function studyName(run: RunRow): string {
  const s = (run.summary?.study_name ?? run.spec.study_name) as string | undefined;
  if (!s) throw new UserError(`run ${run.id} has no study`, { field: 'run_id', value: run.id });
  return s;
}

registerSection('optimize', 'trials', (app, run, offset, limit) => {
  if (run.spec.n_workers === 'external') {
    throw new UserError(`the trials of study ${studyName(run)} are in the shared storage the workers use, not in this store`, {
      field: 'include',
      value: 'trials',
      expected: 'include "top" (the summary keeps the best trials), or read every trial with optuna.load_study(study_name=…, storage=<the shared PostgreSQL URL>)',
    });
  }
  return pageOf(listTrialsSync(app, studyName(run)), offset, limit);
});

registerSection('optimize', 'top', (_app, run, offset, limit) => {
  const top = (run.summary?.top ?? []) as unknown[];
  return pageOf(top, offset, limit);
});

/**
 * Trials of a study as compact rows (number, state, values, params, metrics, fail_reason),
 * synchronous so that get_run can page them; a FAIL trial without a stored reason says so.
 */
export function listTrialsSync(app: App, name: string): Record<string, unknown>[] {
  const rows = studyTrialRows(app.db, name);
  if (!rows) throw new UserError(`no study named ${JSON.stringify(name)}`, { field: 'study', value: name });
  return rows.map((t) => ({ ...t, fail_reason: t.state === 'FAIL' ? (t.fail_reason === undefined ? NO_FAIL_REASON : t.fail_reason) : null, params: unflatten(t.params) }));
}
