/**
 * Following a study that remote workers run (optimize with n_workers: "external"): the
 * server's job reads the workers' trials as they finish, reporting each one (progress
 * counts every worker's trials), until the study has its n_trials trials done and none
 * running or waiting. Cancelling stops the watching here; the workers finish the study.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { OptimizeSummary } from '../../engine/optimizer/optimize.js';
import { countsTowardsLimit } from '../../engine/optimizer/store.js';
import type { Study } from '../../engine/optimizer/study.js';
import { isFinished, type FrozenTrial } from '../../engine/optimizer/trial.js';

/** Marks a study whose sampler found nothing new (set by a worker): its workers and followers stop at it. */
/**
 * Waits `ms`, or less when `signal` aborts (never rejects): Node's abortable timer takes its
 * abort listener away again, where a hand-made pause added one per poll that piled up.
 */
export function pauseFor(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}

export const EXHAUSTED_ATTR = 'tradelab_exhausted';

/** Marks a study whose run was cancelled (cancel_run): workers stop taking its trials (null: not, after a new enqueue). */
export const CANCELLED_ATTR = 'tradelab_cancelled';

export interface WatchOptions {
  readonly n_trials: number;
  readonly signal: AbortSignal;
  readonly poll_ms?: number;
  readonly onTrial?: (t: FrozenTrial) => void;
}

/** Consecutive failed reads of the shared storage before the following gives up (the job fails with the error). */
const READ_FAILURES = 30;

export async function watchStudy(study: Study, opts: WatchOptions): Promise<OptimizeSummary> {
  const start = study.clock();
  const seen = new Set(study.trials.filter((t) => isFinished(t.state)).map((t) => t.number));
  const poll = opts.poll_ms ?? 1000;
  let reported = 0;
  let failures = 0;
  const pause = (): Promise<void> => pauseFor(poll, opts.signal);
  for (;;) {
    let exhausted: unknown;
    try {
      await study.sync();
      exhausted = (await study.store.getStudy(study.name))?.system_attrs[EXHAUSTED_ATTR];
      failures = 0;
    } catch (e) {
      // a database restart or a network blip: read again, give up only when it lasts
      if (++failures >= READ_FAILURES || opts.signal.aborted) throw e;
      await pause();
      continue;
    }
    for (const t of study.trials) {
      if (!isFinished(t.state) || seen.has(t.number)) continue;
      seen.add(t.number);
      reported++;
      opts.onTrial?.(t);
    }
    const open = study.trials.some((t) => t.state === 'RUNNING' || t.state === 'WAITING');
    if (!open && study.trials.filter(countsTowardsLimit).length >= opts.n_trials) {
      return { stop_reason: 'n_trials', stop_detail: `the workers finished the study's ${opts.n_trials} trial(s)`, space_exhausted: false, trials_started: reported, elapsed_ms: study.clock() - start };
    }
    if (!open && exhausted !== undefined) {
      const detail = (exhausted as { detail?: string }).detail ?? 'the sampler found nothing new';
      return { stop_reason: 'exhausted', stop_detail: `a worker stopped the study: ${detail}`, space_exhausted: /no point left/.test(detail), trials_started: reported, elapsed_ms: study.clock() - start };
    }
    if (opts.signal.aborted) {
      // the workers stop too: they take no new trial of it, and give up their queued ones
      await study.store.setStudyAttr(study.record.study_id, 'system', CANCELLED_ATTR, { at: study.clock(), after: reported });
      return { stop_reason: 'cancelled', stop_detail: `cancelled after ${reported} trial(s) finished; the workers stop taking its trials (running ones finish)`, space_exhausted: false, trials_started: reported, elapsed_ms: study.clock() - start };
    }
    await pause();
  }
}
