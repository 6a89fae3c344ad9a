/**
 * One count for an optimize task's progress, used by the server job and the CLI alike:
 * finished trials of the task's studies (earlier runs of a resumed study included) out of
 * its target, n_trials plus refine.n_trials. A resumed study says where it resumed once
 * (StageStart), not as a second count.
 */
import type { OptimizeTask } from './job.js';
import type { StageStart, TrialEvent } from './run-study.js';

export interface TaskCount {
  readonly done: number;
  readonly total: number;
}

/** Maps a stage's study counts onto the task's count (the fine stage follows the coarse n_trials). */
export function taskProgress(task: Pick<OptimizeTask, 'n_trials' | 'refine'>, nTrials = task.n_trials): (e: Pick<TrialEvent, 'stage' | 'study_done'>) => TaskCount {
  const total = nTrials + (task.refine?.n_trials ?? 0);
  return (e) => ({ done: (e.stage === 'fine' ? nTrials : 0) + e.study_done, total });
}

/** "trial 12 COMPLETE value 0.1234" (the fine stage says so). */
export function trialText(e: TrialEvent): string {
  const v = e.trial.values?.[0];
  return `${e.stage === 'fine' ? 'fine ' : ''}trial ${e.trial.number} ${e.trial.state}${v !== undefined ? ` value ${v.toFixed(4)}` : ''}`;
}

/** The job's progress message: the trial and the study's best (the count is the progress itself). */
export function progressMessage(e: TrialEvent): string {
  return `${trialText(e)}; best ${e.best === null ? 'n/a' : e.best.toFixed(4)}`;
}

/** "study S resumed at 1314 of 5000 finished trials" (null for a new study). */
export function resumeText(s: StageStart): string | null {
  return s.resumed ? `${s.stage === 'fine' ? 'fine stage ' : ''}study ${s.study_name} resumed at ${s.finished} of ${s.target} finished trials` : null;
}
