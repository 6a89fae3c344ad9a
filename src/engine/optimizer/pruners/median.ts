/**
 * Percentile pruning with Optuna's semantics (`PercentilePruner`; `MedianPruner` is the
 * 50th percentile): no pruning before `n_startup_trials` COMPLETE trials, before
 * `n_warmup_steps`, or off the `interval_steps` grid; then the trial's best value so far
 * (over all its reported steps) is compared with the percentile, at the trial's last step,
 * of the COMPLETE trials that reported that step; prune if strictly worse. A NaN best value
 * prunes at once.
 */
import { lastStep, type FrozenTrial, type StudyHistory } from '../trial.js';
import type { Pruner } from './types.js';

export interface PercentilePrunerConfig {
  readonly type: 'median' | 'percentile';
  /** 0–100, the share of trials kept is 100 − percentile from the top (median: 50). */
  readonly percentile?: number;
  readonly n_startup_trials?: number;
  readonly n_warmup_steps?: number;
  readonly interval_steps?: number;
  readonly n_min_trials?: number;
}

/** numpy's default (linear) percentile of a non-empty sample, NaNs ignored. */
export function nanPercentile(values: readonly number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = ((v.length - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

function isFirstInIntervalStep(step: number, steps: Iterable<number>, warmup: number, interval: number): boolean {
  const nearestLower = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLower;
}

export function createPercentilePruner(config: Partial<PercentilePrunerConfig> = {}): Pruner {
  const percentile = config.percentile ?? 50;
  const nStartup = config.n_startup_trials ?? 5;
  const warmup = config.n_warmup_steps ?? 0;
  const interval = config.interval_steps ?? 1;
  const nMin = config.n_min_trials ?? 1;
  if (!(percentile >= 0 && percentile <= 100)) throw new RangeError(`pruner.percentile must be in [0, 100], got ${percentile}`);
  if (!(Number.isInteger(nStartup) && nStartup >= 0)) throw new RangeError(`pruner.n_startup_trials must be an integer >= 0, got ${nStartup}`);
  if (!(Number.isInteger(warmup) && warmup >= 0)) throw new RangeError(`pruner.n_warmup_steps must be an integer >= 0, got ${warmup}`);
  if (!(Number.isInteger(interval) && interval >= 1)) throw new RangeError(`pruner.interval_steps must be an integer >= 1, got ${interval}`);
  if (!(Number.isInteger(nMin) && nMin >= 1)) throw new RangeError(`pruner.n_min_trials must be an integer >= 1, got ${nMin}`);
  return {
    name: percentile === 50 ? 'median' : `percentile(${percentile})`,
    shouldPrune(trial: FrozenTrial, history: StudyHistory): boolean {
      const completed = history.trials.filter((t) => t.state === 'COMPLETE');
      if (completed.length === 0 || completed.length < nStartup) return false;
      const step = lastStep(trial);
      if (step === null || step < warmup) return false;
      if (!isFirstInIntervalStep(step, trial.intermediate_values.keys(), warmup, interval)) return false;
      const maximize = history.directions[0] === 'maximize';
      const own = [...trial.intermediate_values.values()].filter((v) => !Number.isNaN(v));
      if (own.length === 0) return true;
      const best = maximize ? Math.max(...own) : Math.min(...own);
      const atStep: number[] = [];
      for (const t of completed) {
        const v = t.intermediate_values.get(step);
        if (v !== undefined) atStep.push(v);
      }
      if (atStep.length < nMin) return false;
      const p = nanPercentile(atStep, maximize ? 100 - percentile : percentile);
      if (Number.isNaN(p)) return false;
      return maximize ? best < p : best > p;
    },
  };
}

export function createMedianPruner(config: Partial<Omit<PercentilePrunerConfig, 'percentile'>> = {}): Pruner {
  return createPercentilePruner({ ...config, percentile: 50 });
}
