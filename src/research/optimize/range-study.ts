/**
 * A lean study over one resolved task (used per walk-forward window): open, optimise,
 * return the best trial — no stored best-run, validation or refinement.
 */
import { optimize, type StopReason } from '../../engine/optimizer/optimize.js';
import { bestTrial, countsByState } from '../../engine/optimizer/results.js';
import type { Study } from '../../engine/optimizer/study.js';
import type { FrozenTrial, TrialState } from '../../engine/optimizer/trial.js';
import type { App } from '../app.js';
import { getEvaluator, queueAhead } from '../evaluator.js';
import { makeObjective, type ObjectiveStats } from './objective.js';
import type { ResolvedTask } from './resolve.js';
import { openStudy } from './run-study.js';

export interface RangeStudyResult {
  readonly study: Study;
  readonly best: FrozenTrial | null;
  readonly counts: Record<TrialState, number>;
  readonly stop_reason: StopReason;
  readonly stats: ObjectiveStats;
}

export async function runRangeStudy(
  app: App,
  r: ResolvedTask,
  runId: string,
  stage: string,
  signal: AbortSignal,
  onTrial?: (t: FrozenTrial) => void,
  /** Stop starting trials after this long (what is left of the job's wall-time limit). */
  timeout_ms?: number,
): Promise<RangeStudyResult> {
  const study = await openStudy(app, r);
  const evaluator = getEvaluator(app, r.n_jobs);
  evaluator.load(r.dataset.content_hash, r.series);
  const stats: ObjectiveStats = { cache_hits: 0, evaluated: 0 };
  const s = await optimize(study, makeObjective(app, r, runId, () => study, evaluator, stats, { stage }), {
    n_trials: r.n_trials,
    timeout_ms,
    signal,
    n_jobs: r.n_jobs,
    queue_ahead: queueAhead(evaluator),
    onTrial: (t) => onTrial?.(t),
  });
  return { study, best: bestTrial(study.trials, study.directions), counts: countsByState(study.trials), stop_reason: s.stop_reason, stats };
}
