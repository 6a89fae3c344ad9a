/**
 * `tradelab summarize <study>`: a stored study on its own (no run needed): meta, counts by
 * state, durations, how its last run stopped, why trials failed, and the best and top
 * distinct configurations, ranked by the optimizer's own rule (rankDistinct: feasible
 * first, infeasible by total violation, then the objective in its direction).
 */
import { rankDistinct, topDistinct } from '../../engine/optimizer/objectives.js';
import { countsByState, failReasons } from '../../engine/optimizer/results.js';
import type { StudyRecord } from '../../engine/optimizer/store.js';
import type { FrozenTrial } from '../../engine/optimizer/trial.js';
import { appStudyStore } from '../study-store.js';
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { studyFailure } from './outcome.js';
import { viewTrial } from './run-study.js';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function durations(trials: readonly FrozenTrial[]): Record<string, number | string | null> {
  let first: number | null = null;
  let last: number | null = null;
  let sum = 0;
  let n = 0;
  for (const t of trials) {
    first = first === null ? t.datetime_start : Math.min(first, t.datetime_start);
    if (t.datetime_complete === null) continue;
    last = last === null ? t.datetime_complete : Math.max(last, t.datetime_complete);
    sum += t.datetime_complete - t.datetime_start;
    n++;
  }
  return { first_start: iso(first), last_finish: iso(last), wall_seconds: first !== null && last !== null ? (last - first) / 1000 : null, mean_trial_ms: n > 0 ? sum / n : null };
}

export interface LoadedStudy {
  readonly study: StudyRecord;
  readonly trials: readonly FrozenTrial[];
}

/** A stored study and all its trials (a UserError naming the known studies when there is none). */
export async function loadStudy(app: App, name: string): Promise<LoadedStudy> {
  const store = await appStudyStore(app);
  const study = await store.getStudy(name);
  if (!study) {
    const known = (await store.listStudies()).map((s) => s.name).reverse().slice(0, 20);
    throw new UserError(`no study named ${JSON.stringify(name)}`, { field: '<study>', value: name, expected: known.length ? `one of ${known.join(', ')}` : 'none stored yet', hint: '`tradelab studies` lists them' });
  }
  return { study, trials: await store.listTrials(study.study_id) };
}

export async function summarizeStudy(app: App, name: string, top: number, loaded?: LoadedStudy): Promise<Record<string, unknown>> {
  const { study, trials } = loaded ?? (await loadStudy(app, name));
  const ranking = rankDistinct(trials, study.directions);
  const best = topDistinct(ranking, top);
  const reasons = failReasons(trials);
  const failure = studyFailure(trials, reasons);
  const view = (t: FrozenTrial, copies: number): Record<string, unknown> => ({ ...viewTrial(t, {}), constraints: t.constraints, copies });
  const sys = study.system_attrs;
  return {
    study: name,
    meta: { ...study.user_attrs, directions: study.directions, signature: sys.signature ?? null, forced_resumes: sys.forced_resumes ?? [], created: iso(study.datetime_start) },
    counts: countsByState(trials),
    durations: durations(trials),
    stopped: sys.last_stop ?? null,
    fail_reasons: reasons.slice(0, 10),
    ...(failure ? { failure } : {}),
    distinct_configurations: ranking.trials.length,
    best: ranking.trials[0] ? view(ranking.trials[0], ranking.copies[0]) : null,
    top: best.trials.map((t, i) => view(t, best.copies[i])),
    top_duplicates_collapsed: best.duplicates_collapsed,
  };
}
