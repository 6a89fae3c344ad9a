/**
 * The optimize workflow as a server job: validate the task up front (bad input fails the
 * call, not the job), then run the study in the job runner with progress per trial.
 */
import { unflatten } from '../../engine/optimizer/paths.js';
import { NO_FAIL_REASON } from '../../engine/optimizer/results.js';
import type { RunRow } from '../../storage/runs.js';
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

export function parseTask(input: unknown, field = 'task'): OptimizeTask {
  return parseStrict(optimizeTaskSchema, input, { source: `invalid ${field}` });
}


/**
 * Starts an optimize job; returns its run row (queued/running). The task is validated and
 * the study opened (or its resume signature checked) before a job exists, so bad input and
 * refused resumes fail the call itself.
 */
export async function startOptimize(app: App, jobs: JobRunner, clientId: string, input: OptimizeTaskInput): Promise<RunRow> {
  const r = resolveTask(app, input);
  const task = r.task;
  const study = await openStudy(app, r);
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
        wall: { deadline: app.now() + seconds * 1000, seconds },
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

registerSection('optimize', 'trials', (app, run, offset, limit) => pageOf(listTrialsSync(app, studyName(run)), offset, limit));

registerSection('optimize', 'top', (_app, run, offset, limit) => {
  const top = (run.summary?.top ?? []) as unknown[];
  return pageOf(top, offset, limit);
});

/**
 * Trials of a study as compact rows (number, state, values, params, metrics, fail_reason), read with a
 * few plain SQL queries over the Optuna-model tables of migration 003 (synchronous, so
 * get_run can page them).
 */
export function listTrialsSync(app: App, name: string): Record<string, unknown>[] {
  const study = app.db.prepare('SELECT study_id FROM studies WHERE study_name = ?').get(name) as { study_id: number } | undefined;
  if (!study) throw new UserError(`no study named ${JSON.stringify(name)}`, { field: 'study', value: name });
  const trials = app.db.prepare('SELECT trial_id, number, state FROM trials WHERE study_id = ? ORDER BY number').all(study.study_id) as { trial_id: number; number: number; state: string }[];
  const params = app.db.prepare('SELECT t.trial_id, p.param_name, p.param_value_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = ?').all(study.study_id) as { trial_id: number; param_name: string; param_value_json: string }[];
  const values = app.db.prepare('SELECT t.trial_id, v.objective, v.value FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id WHERE t.study_id = ? ORDER BY v.objective').all(study.study_id) as { trial_id: number; objective: number; value: number | null }[];
  const attrs = app.db.prepare("SELECT t.trial_id, a.value_json FROM trial_user_attributes a JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = ? AND a.key = 'metrics'").all(study.study_id) as { trial_id: number; value_json: string }[];
  const reasons = app.db.prepare("SELECT t.trial_id, a.value_json FROM trial_system_attributes a JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = ? AND a.key = 'fail_reason'").all(study.study_id) as { trial_id: number; value_json: string }[];
  const byId = new Map<number, Record<string, unknown>>();
  for (const t of trials) byId.set(t.trial_id, { number: t.number, state: t.state, values: [] as (number | null)[], params: {} as Record<string, unknown>, metrics: null, fail_reason: t.state === 'FAIL' ? NO_FAIL_REASON : null });
  for (const p of params) (byId.get(p.trial_id)!.params as Record<string, unknown>)[p.param_name] = JSON.parse(p.param_value_json);
  for (const v of values) (byId.get(v.trial_id)!.values as (number | null)[]).push(v.value);
  for (const a of attrs) byId.get(a.trial_id)!.metrics = JSON.parse(a.value_json);
  for (const a of reasons) if (byId.get(a.trial_id)!.state === 'FAIL') byId.get(a.trial_id)!.fail_reason = JSON.parse(a.value_json);
  return [...byId.values()].map((t) => ({ ...t, params: unflatten(t.params as Record<string, string | number | boolean | null>) }));
}
