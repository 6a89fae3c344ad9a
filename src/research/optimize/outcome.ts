/**
 * How a study ended, as its run reports it: why it stopped (`stopped: {reason, detail}`),
 * why its trials failed (counted by reason) and, when every trial failed, why the run
 * failed (the most common reason first).
 */
import type { OptimizeSummary, StopReason } from '../../engine/optimizer/optimize.js';
import { allTrialsFailed, NO_FAIL_REASON, type FailReasonCount } from '../../engine/optimizer/results.js';
import type { Attrs, FrozenTrial } from '../../engine/optimizer/trial.js';

export function failReasonOf(t: { state: string; system_attrs: Attrs }): string | null {
  if (t.state !== 'FAIL') return null;
  return typeof t.system_attrs.fail_reason === 'string' ? t.system_attrs.fail_reason : NO_FAIL_REASON;
}

/** ` Failed trials: "reason" ×n; …` for a summary with FAIL trials ('' without). */
export function failReasonsText(summary: Record<string, unknown>, max = 3): string {
  const reasons = (summary.fail_reasons ?? []) as readonly FailReasonCount[];
  if (reasons.length === 0) return '';
  const more = reasons.length > max ? `; ${reasons.length - max} more (fail_reasons)` : '';
  return ` Failed trials: ${reasons.slice(0, max).map((r) => `${JSON.stringify(r.reason)} ×${r.count}`).join('; ')}${more}.`;
}

/** ` Top list: n distinct configurations (k repeated trials collapsed).` when the top list collapsed repeats ('' otherwise). */
export function duplicatesText(summary: Record<string, unknown>): string {
  const collapsed = typeof summary.top_duplicates_collapsed === 'number' ? summary.top_duplicates_collapsed : 0;
  if (collapsed === 0) return '';
  return ` Top list: ${(summary.top as unknown[]).length} distinct configurations (${collapsed} repeated trial(s) collapsed; ${String(summary.distinct_configurations)} distinct among the complete trials).`;
}

/** The failure message of a runStudy summary whose trials all failed, or null. */
export function studyFailureOf(summary: Record<string, unknown>): string | null {
  const f = summary.failure as { message?: unknown } | undefined;
  return typeof f?.message === 'string' ? f.message : null;
}

/** Why a study whose trials all failed failed: the most common reason first, with counts. */
export function studyFailure(trials: readonly FrozenTrial[], reasons: readonly FailReasonCount[]): { message: string; failed: number; reasons: readonly FailReasonCount[] } | null {
  if (!allTrialsFailed(trials)) return null;
  const failed = reasons.reduce((n, r) => n + r.count, 0);
  const [first] = reasons;
  const others = reasons.length > 1 ? `; ${reasons.length - 1} other reason(s): ${reasons.slice(1, 3).map((r) => `${JSON.stringify(r.reason)} (${r.count})`).join(', ')}` : '';
  return { message: `all ${failed} trials failed; most common reason (${first.count} of ${failed}): ${first.reason}${others}`, failed, reasons };
}

/** The server's wall-time limit of the job a study runs in. */
export interface WallLimit {
  /** app.now() at which it is reached. */
  readonly deadline: number;
  readonly seconds: number;
}

/** Reasons a study stops: the optimizer's, plus the job's wall-time limit. */
export type StudyStopReason = StopReason | 'wall_limit';

export interface StudyStop {
  readonly reason: StudyStopReason;
  readonly detail: string;
}

/**
 * The timeout for optimize(): the task's own or what is left of the wall-time limit,
 * whichever ends first (`by_wall` when it is the wall limit).
 */
export function wallTimeout(now: number, timeoutSeconds: number | undefined, wall: WallLimit | undefined): { timeout_ms: number | undefined; by_wall: boolean } {
  const own = timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000;
  if (wall === undefined) return { timeout_ms: own, by_wall: false };
  const left = Math.max(0, wall.deadline - now);
  return own !== undefined && own <= left ? { timeout_ms: own, by_wall: false } : { timeout_ms: left, by_wall: true };
}

/** Why a study stopped, from the optimizer's summary (null when it had no trial left to run). */
export function studyStop(run: OptimizeSummary | null, o: { readonly n_trials: number; readonly aborted: boolean; readonly by_wall: boolean; readonly wall?: WallLimit }): StudyStop {
  if (o.aborted) return { reason: 'cancelled', detail: run?.stop_reason === 'cancelled' ? run.stop_detail : 'cancelled while the study was finishing' };
  if (run === null) return { reason: 'n_trials', detail: `the study already had its ${o.n_trials} trial(s); none were run` };
  if (run.stop_reason === 'timeout' && o.by_wall && o.wall) {
    return { reason: 'wall_limit', detail: `the wall-time limit of ${o.wall.seconds} s per job (limits.max_wall_seconds) was reached after ${run.trials_started} trial(s) had started` };
  }
  return { reason: run.stop_reason, detail: run.stop_detail };
}

/** A study that ended before its n_trials: how many trials it has finished, of how many. */
export interface ShortStop {
  readonly finished: number;
  readonly target: number;
}

/**
 * Whether a study stopped short of its n_trials (a timeout, the wall limit, or proposals that
 * only repeated evaluated points), or null: it reached them, was cancelled (said as such) or
 * evaluated every point its sampler has (a finished grid).
 */
export function stoppedShort(stop: StudyStop, run: OptimizeSummary | null, finished: number, target: number): ShortStop | null {
  if (finished >= target || stop.reason === 'cancelled' || run?.space_exhausted) return null;
  return { finished, target };
}

/** The summary's (or, after a refinement, its coarse stage's) short stop, or null. */
export function shortStopOf(summary: Record<string, unknown>): ShortStop | null {
  const own = summary.stopped_short as ShortStop | null | undefined;
  const coarse = (summary.coarse as Record<string, unknown> | undefined)?.stopped_short as ShortStop | null | undefined;
  return own ?? coarse ?? null;
}

/** "stopped by <reason> (<detail>)", and "short of n_trials: f of t trials finished" when it stopped short. */
export function stopText(summary: Record<string, unknown>): string {
  const s = summary.stopped as StudyStop | undefined;
  const short = summary.stopped_short as ShortStop | null | undefined;
  const why = s ? `stopped by ${s.reason} (${s.detail})` : `stopped by ${String(summary.stop_reason)}`;
  return short ? `${why}; stopped short of n_trials: ${short.finished} of ${short.target} trials finished (a rerun resumes)` : why;
}
