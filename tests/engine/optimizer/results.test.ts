import { describe, expect, it } from 'vitest';
import { allTrialsFailed, failReasons, NO_FAIL_REASON } from '../../../src/engine/optimizer/results.js';
import { freezeTrial, type Attrs, type TrialState } from '../../../src/engine/optimizer/trial.js';

const trial = (number: number, state: TrialState, system_attrs: Attrs = {}) => freezeTrial({ number, state, params: { x: number }, values: state === 'COMPLETE' ? [number] : null, system_attrs, datetime_start: 0 });
const failed = (number: number, reason?: string) => trial(number, 'FAIL', reason === undefined ? {} : { fail_reason: reason });
const interrupted = (number: number) => trial(number, 'FAIL', { interrupted: true, fail_reason: 'cancelled before it started' });

describe('fail reasons', () => {
  it('counts FAIL trials by reason, most common first, leaving interrupted trials out', () => {
    const trials = [failed(0, 'b'), failed(1, 'a'), trial(2, 'COMPLETE'), failed(3, 'a'), interrupted(4), failed(5), failed(6, 'b'), failed(7, 'a')];
    expect(failReasons(trials)).toEqual([
      { reason: 'a', count: 3, trials: [1, 3, 7] },
      { reason: 'b', count: 2, trials: [0, 6] },
      { reason: NO_FAIL_REASON, count: 1, trials: [5] },
    ]);
    expect(failReasons(trials, 2)[0].trials).toEqual([1, 3]);
    // ties: the reason seen first comes first
    expect(failReasons([failed(0, 'y'), failed(1, 'x')]).map((r) => r.reason)).toEqual(['y', 'x']);
  });

  it('a study failed when it ran trials and every one of them failed', () => {
    expect(allTrialsFailed([failed(0, 'a'), failed(1, 'b')])).toBe(true);
    expect(allTrialsFailed([failed(0, 'a'), interrupted(1)])).toBe(true);
    expect(allTrialsFailed([failed(0, 'a'), trial(1, 'COMPLETE')])).toBe(false);
    expect(allTrialsFailed([failed(0, 'a'), trial(1, 'PRUNED')])).toBe(false);
    expect(allTrialsFailed([interrupted(0)])).toBe(false); // stopped, not failed
    expect(allTrialsFailed([])).toBe(false);
  });
});
