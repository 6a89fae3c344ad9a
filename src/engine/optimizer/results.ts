/**
 * What a finished (or running) study reports: counts by state, the best trial (feasible
 * first), the top N distinct configurations, the Pareto front (several objectives), the convergence series (best so
 * far per trial number), parameter importance and why trials failed.
 */
import { parameterImportance } from './importance.js';
import { compareTrials, rankDistinct, rankTrials, topDistinct, type DistinctRanking } from './objectives.js';
import { paretoFront } from './pareto.js';
import type { SearchSpace } from './space.types.js';
import { INTERRUPTED_ATTR } from './study.js';
import { TRIAL_STATES, totalViolation, type FrozenTrial, type StudyDirection, type TrialState } from './trial.js';

export function countsByState(trials: readonly FrozenTrial[]): Record<TrialState, number> {
  const out = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  for (const t of trials) out[t.state]++;
  return out;
}

/** Best COMPLETE trial by the first objective: feasible first, then by value; null if none. */
export function bestTrial(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): FrozenTrial | null {
  return rankTrials(trials, directions)[0] ?? null;
}

/** The `n` best distinct configurations (a trial repeating a better one's params is left out). */
export function topTrials(trials: readonly FrozenTrial[], directions: readonly StudyDirection[], n: number): FrozenTrial[] {
  return topDistinct(rankDistinct(trials, directions), n).trials;
}

/** Why FAIL trials failed: one entry per distinct `fail_reason`, most common first. */
export interface FailReasonCount {
  readonly reason: string;
  readonly count: number;
  /** The first few trial numbers that failed for it. */
  readonly trials: readonly number[];
}

/** The fail_reason shown for a FAIL trial stored without one. */
export const NO_FAIL_REASON = 'no reason recorded';

/** A FAIL trial an earlier version stored for a trial stopped mid-run (now such trials go back to WAITING). */
export function wasInterrupted(t: FrozenTrial): boolean {
  return t.state === 'FAIL' && t.system_attrs[INTERRUPTED_ATTR] === true;
}

/** The fail reasons of the FAIL trials (interrupted ones left out), most common first, ties by first trial. */
export function failReasons(trials: readonly FrozenTrial[], examples = 5): FailReasonCount[] {
  const by = new Map<string, number[]>();
  for (const t of trials) {
    if (t.state !== 'FAIL' || wasInterrupted(t)) continue;
    const reason = typeof t.system_attrs.fail_reason === 'string' ? t.system_attrs.fail_reason : NO_FAIL_REASON;
    const list = by.get(reason);
    if (list) list.push(t.number);
    else by.set(reason, [t.number]);
  }
  return [...by.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[1][0] - b[1][0])
    .map(([reason, numbers]) => ({ reason, count: numbers.length, trials: numbers.slice(0, examples) }));
}

/** True when the study ran trials and every one of them failed (interrupted ones not counted). */
export function allTrialsFailed(trials: readonly FrozenTrial[]): boolean {
  let ran = 0;
  for (const t of trials) {
    if (t.state === 'RUNNING' || t.state === 'WAITING' || wasInterrupted(t)) continue;
    if (t.state !== 'FAIL') return false;
    ran++;
  }
  return ran > 0;
}

export interface ConvergencePoint {
  readonly number: number;
  /** This trial's value (first objective), null unless COMPLETE. */
  readonly value: number | null;
  /** Best value so far among COMPLETE trials (feasible ones once any is feasible). */
  readonly best: number | null;
  readonly best_feasible: boolean;
}

export function convergence(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): ConvergencePoint[] {
  const cmp = compareTrials(directions[0] ?? 'minimize');
  let best: FrozenTrial | null = null;
  return trials.map((t) => {
    const complete = t.state === 'COMPLETE' && t.values !== null;
    if (complete && (best === null || cmp(t, best) < 0)) best = t;
    const b = best as FrozenTrial | null;
    return {
      number: t.number,
      value: complete ? (t.values as readonly number[])[0] : null,
      best: b ? (b.values as readonly number[])[0] : null,
      best_feasible: b ? totalViolation(b.constraints) === 0 : false,
    };
  });
}

export interface StudyResults {
  readonly counts: Record<TrialState, number>;
  readonly best: FrozenTrial | null;
  /** Every distinct configuration of the COMPLETE trials, best first (validation and refinement pick from it). */
  readonly ranking: DistinctRanking;
  /** The best `top` distinct configurations, and the COMPLETE trials each stands for. */
  readonly top: readonly FrozenTrial[];
  readonly top_copies: readonly number[];
  /** Trials left out of `top` because they repeat the params of a listed one. */
  readonly top_duplicates_collapsed: number;
  /** Several objectives only (empty otherwise). */
  readonly pareto_front: readonly FrozenTrial[];
  readonly convergence: readonly ConvergencePoint[];
  readonly importance: Record<string, number> | null;
  readonly fail_reasons: readonly FailReasonCount[];
}

export function studyResults(
  space: SearchSpace,
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  opts: { readonly top?: number; readonly importance?: boolean; readonly seed?: number } = {},
): StudyResults {
  const ranking = rankDistinct(trials, directions);
  const top = topDistinct(ranking, opts.top ?? 5);
  return {
    counts: countsByState(trials),
    best: ranking.trials[0] ?? null,
    ranking,
    top: top.trials,
    top_copies: top.copies,
    top_duplicates_collapsed: top.duplicates_collapsed,
    pareto_front: directions.length > 1 ? paretoFront(trials, directions) : [],
    convergence: convergence(trials, directions),
    importance: opts.importance === false ? null : parameterImportance(space, trials, directions, { seed: opts.seed }),
    fail_reasons: failReasons(trials),
  };
}
