import { describe, expect, it } from 'vitest';
import type { OptimizeSummary } from '../../../src/engine/optimizer/optimize.js';
import { stopText, studyStop, wallTimeout } from '../../../src/research/optimize/outcome.js';

const WALL = { deadline: 10_000, seconds: 60 };
const run = (stop_reason: OptimizeSummary['stop_reason'], stop_detail = `engine says ${stop_reason}`): OptimizeSummary => ({ stop_reason, stop_detail, space_exhausted: false, trials_started: 7, elapsed_ms: 1 });

describe('how a study stopped', () => {
  it('times out at the task timeout or the wall limit, whichever comes first', () => {
    expect(wallTimeout(0, undefined, undefined)).toEqual({ timeout_ms: undefined, by_wall: false });
    expect(wallTimeout(0, 5, undefined)).toEqual({ timeout_ms: 5000, by_wall: false });
    expect(wallTimeout(4_000, undefined, WALL)).toEqual({ timeout_ms: 6_000, by_wall: true });
    expect(wallTimeout(4_000, 5, WALL)).toEqual({ timeout_ms: 5_000, by_wall: false });
    expect(wallTimeout(4_000, 7, WALL)).toEqual({ timeout_ms: 6_000, by_wall: true });
    expect(wallTimeout(12_000, 7, WALL)).toEqual({ timeout_ms: 0, by_wall: true });
  });

  it("names the reason with a detail: the optimizer's, the wall limit, cancellation, or nothing left to run", () => {
    const o = { n_trials: 20, aborted: false, by_wall: false };
    expect(studyStop(run('exhausted'), o)).toEqual({ reason: 'exhausted', detail: 'engine says exhausted' });
    expect(studyStop(run('timeout'), o)).toEqual({ reason: 'timeout', detail: 'engine says timeout' });
    expect(studyStop(run('timeout'), { ...o, by_wall: true, wall: WALL })).toEqual({
      reason: 'wall_limit',
      detail: 'the wall-time limit of 60 s per job (limits.max_wall_seconds) was reached after 7 trial(s) had started',
    });
    expect(studyStop(run('cancelled'), { ...o, aborted: true })).toEqual({ reason: 'cancelled', detail: 'engine says cancelled' });
    expect(studyStop(run('n_trials'), { ...o, aborted: true }).reason).toBe('cancelled');
    expect(studyStop(null, o)).toEqual({ reason: 'n_trials', detail: 'the study already had its 20 trial(s); none were run' });
    expect(stopText({ stopped: { reason: 'exhausted', detail: 'why' } })).toBe('stopped by exhausted (why)');
  });
});
