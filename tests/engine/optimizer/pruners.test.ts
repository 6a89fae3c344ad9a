import { describe, expect, it } from 'vitest';
import { bracketOf, crc32, createHyperbandPruner, hyperbandLayout } from '../../../src/engine/optimizer/pruners/hyperband.js';
import { createPruner, parsePrunerConfig } from '../../../src/engine/optimizer/pruners/index.js';
import { freezeTrial, type FrozenTrial, type StudyDirection, type StudyHistory, type TrialState } from '../../../src/engine/optimizer/trial.js';

function t(number: number, state: TrialState, steps: [number, number][]): FrozenTrial {
  return freezeTrial({ number, state, params: {}, values: state === 'COMPLETE' ? [0] : null, intermediate_values: steps, datetime_start: 0 });
}
const hist = (trials: FrozenTrial[], direction: StudyDirection = 'minimize', name = 's'): StudyHistory => ({ study_name: name, directions: [direction], trials });

describe('median pruner (Optuna semantics)', () => {
  // five COMPLETE trials reporting at steps 0..2; their values at step 2 are 1..5 (median 3)
  const done = [1, 2, 3, 4, 5].map((v, i) => t(i, 'COMPLETE', [[0, 10], [1, 10], [2, v]]));

  it('prunes a trial whose best value so far is strictly worse than the median at its step', () => {
    const pruner = createPruner({ type: 'median' });
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 9], [1, 8], [2, 3.5]]), hist(done))).toBe(true);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 9], [1, 8], [2, 3]]), hist(done))).toBe(false); // equal: not strictly worse
    // best-so-far, not the last value: 2.5 earlier beats the median 3
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 9], [1, 2.5], [2, 7]]), hist(done))).toBe(false);
    // maximising: the median is still 3, now higher is better
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[2, 2.5]]), hist(done, 'maximize'))).toBe(true);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[2, 3.5]]), hist(done, 'maximize'))).toBe(false);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[2, NaN]]), hist(done))).toBe(true);
  });

  it('does not prune before 5 COMPLETE trials, before the warm-up steps, or without peers at the step', () => {
    const pruner = createPruner({ type: 'median', n_warmup_steps: 2 });
    const bad = t(9, 'RUNNING', [[0, 99], [1, 99]]);
    expect(pruner.shouldPrune(bad, hist(done))).toBe(false); // step 1 < 2 warm-up steps
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[2, 99]]), hist(done))).toBe(true);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[2, 99]]), hist(done.slice(0, 4)))).toBe(false);
    expect(createPruner({ type: 'median' }).shouldPrune(t(9, 'RUNNING', [[7, 99]]), hist(done))).toBe(false);
    // PRUNED and RUNNING trials do not count towards the 5
    const mixed = [...done.slice(0, 4), t(4, 'PRUNED', [[2, 1]]), t(5, 'RUNNING', [[2, 1]])];
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[2, 99]]), hist(mixed))).toBe(false);
  });

  it('percentile and interval options, and validated configs', () => {
    const p25 = createPruner({ type: 'percentile', percentile: 25 });
    expect(p25.shouldPrune(t(9, 'RUNNING', [[2, 2.5]]), hist(done))).toBe(true); // 25th percentile of 1..5 is 2
    const every2 = createPruner({ type: 'median', interval_steps: 2 });
    expect(every2.shouldPrune(t(9, 'RUNNING', [[0, 9], [1, 9]]), hist(done))).toBe(false); // step 1 is off the grid 0, 2, 4
    expect(() => parsePrunerConfig({ type: 'median', warmup: 3 })).toThrow(/pruner.warmup is not a median pruner option/);
    expect(() => parsePrunerConfig({ type: 'percentile', percentile: 120 })).toThrow(/percentile must be in \[0, 100\]/);
    expect(() => parsePrunerConfig({ type: 'asha' })).toThrow(/use one of none, median, percentile, hyperband/);
    expect(createPruner({ type: 'none' }).shouldPrune(t(9, 'RUNNING', [[2, 1e9]]), hist(done))).toBe(false);
  });
});

describe('hyperband pruner', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });

  it('brackets and budgets: S = ⌊log_η(R/r)⌋ + 1, budgets ⌈S·η^s/(s+1)⌉', () => {
    expect(hyperbandLayout(20, 1, 3)).toEqual({ maxResource: 20, nBrackets: 3, budgets: [9, 5, 3], total: 17 });
    expect(hyperbandLayout(81, 1, 3).budgets).toEqual([81, 34, 15, 8, 5]);
    const layout = hyperbandLayout(20, 1, 3);
    // deterministic from the study name and trial number, in proportion to the budgets
    const ids = Array.from({ length: 1700 }, (_, i) => bracketOf(layout, 'study', i));
    expect(ids).toEqual(Array.from({ length: 1700 }, (_, i) => bracketOf(layout, 'study', i)));
    const share = [0, 1, 2].map((b) => ids.filter((x) => x === b).length / ids.length);
    expect(share[0]).toBeCloseTo(9 / 17, 1);
    expect(share[2]).toBeCloseTo(3 / 17, 1);
    expect(ids.slice(0, 50)).not.toEqual(Array.from({ length: 50 }, (_, i) => bracketOf(layout, 'other', i)));
  });

  it('promotes at a rung iff the value is in the top max(1, ⌊N/η⌋) of the N trials there', () => {
    // max_resource 2 → one bracket (b = 0); rungs at steps 1, 3, 9, …
    const pruner = createHyperbandPruner({ max_resource: 2, reduction_factor: 3 });
    const peers = [1, 2, 3, 4, 5].map((v, i) => t(i, 'COMPLETE', [[0, 0], [1, v]]));
    // N = 6 with the trial: top ⌊6/3⌋ = 2 → must be <= the 2nd smallest value
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 0], [1, 1.5]]), hist(peers))).toBe(false);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 0], [1, 2.5]]), hist(peers))).toBe(true);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 0], [1, 2.5]]), hist(peers, 'maximize'))).toBe(true); // top 2 by max: 5, 4
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 0], [1, 4.5]]), hist(peers, 'maximize'))).toBe(false);
    // before the first rung there is nothing to decide
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[0, 1e9]]), hist(peers))).toBe(false);
    // the first η − 1 trials at a rung: only the best so far goes on (Optuna's rule)
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[1, 0.5]]), hist([t(0, 'COMPLETE', [[1, 1]])]))).toBe(false);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[1, 2]]), hist([t(0, 'COMPLETE', [[1, 1]])]))).toBe(true);
  });

  it('judges a later rung against the trials that reached it, and waits for max_resource with auto', () => {
    const pruner = createHyperbandPruner({ max_resource: 2 });
    // peers: two reached step 3 (rung 1) with 10 and 20; others stopped at rung 0 (PRUNED)
    const peers = [t(0, 'COMPLETE', [[1, 1], [3, 10]]), t(1, 'COMPLETE', [[1, 1], [3, 20]]), t(2, 'PRUNED', [[1, 50]]), t(3, 'PRUNED', [[1, 60]])];
    // the trial passed rung 0 at step 1 earlier (value 1); at step 3: N = 3, top 1 → must be <= 10
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[1, 1], [3, 5]]), hist(peers))).toBe(false);
    expect(pruner.shouldPrune(t(9, 'RUNNING', [[1, 1], [3, 15]]), hist(peers))).toBe(true);
    const auto = createHyperbandPruner();
    expect(auto.shouldPrune(t(9, 'RUNNING', [[1, 1e9]]), hist([t(0, 'RUNNING', [[1, 1]])]))).toBe(false); // no COMPLETE trial yet
  });
});
