/** Drawdown depth, episodes and durations on a hand-worked curve. */
import { describe, expect, it } from 'vitest';
import { drawdownStats } from '../../../src/engine/metrics/drawdown.js';
import { DAY, dailyTimes } from './fixtures.js';

// equity 100 120 90 110 120 130 117; running max 100 120 120 120 120 130 130
// dd       0   0 .25 .083  0   0  .10
// episodes: bar 1 → bar 4 (recovered; depth 25 %, 3 days) and bar 5 → end (depth 10 %, 1 day)
const time = dailyTimes(7, false);
const equity = Float64Array.from([100, 120, 90, 110, 120, 130, 117]);

describe('drawdownStats', () => {
  it('default: both episodes, the unrecovered one runs to the end', () => {
    const s = drawdownStats(time, equity, false);
    expect(s.maxDrawdown).toBeCloseTo(0.25, 15);
    expect(s.episodes).toBe(2);
    expect(s.avgDrawdown).toBeCloseTo((0.25 + 0.1) / 2, 15);
    expect(s.maxDurationMs).toBe(3 * DAY);
    expect(s.avgDurationMs).toBe(2 * DAY);
    expect(s.peakEquity).toBe(130);
  });

  it('backtesting.py: a drawdown that starts on the very last bar is not an episode', () => {
    const s = drawdownStats(time, equity, true);
    expect(s.episodes).toBe(1);
    expect(s.avgDrawdown).toBeCloseTo(0.25, 15);
    expect(s.avgDurationMs).toBe(3 * DAY);
    expect(s.maxDrawdown).toBeCloseTo(0.25, 15); // the depth still counts in the max
  });

  it('an unrecovered drawdown longer than one bar counts in both', () => {
    const e = Float64Array.from([100, 120, 90, 100, 110, 115, 119]);
    for (const drop of [false, true]) {
      const s = drawdownStats(time, e, drop);
      expect(s.episodes).toBe(1);
      expect(s.maxDurationMs).toBe(5 * DAY);
    }
  });

  it('a curve that never falls has zero drawdown, no episode and undefined (NaN) mean depth and durations', () => {
    for (const drop of [false, true]) {
      const s = drawdownStats(time, Float64Array.from([1, 2, 3, 3, 4, 5, 6]), drop);
      expect(s).toMatchObject({ maxDrawdown: 0, episodes: 0, droppedLastBar: 0, avgDrawdown: NaN, maxDurationMs: NaN, avgDurationMs: NaN });
    }
  });

  it('a drawdown only on the last bar: one 1-day episode (default); none but its depth as the mean (backtesting.py)', () => {
    const e = Float64Array.from([1, 2, 3, 3, 3.5, 4, 3]);
    expect(drawdownStats(time, e, false)).toMatchObject({ maxDrawdown: 0.25, episodes: 1, avgDrawdown: 0.25, maxDurationMs: DAY, avgDurationMs: DAY });
    // backtesting.py's fallback with no episode averages dd.replace(0, nan): the last bar's depth
    expect(drawdownStats(time, e, true)).toMatchObject({ maxDrawdown: 0.25, episodes: 0, droppedLastBar: 0.25, avgDrawdown: 0.25, maxDurationMs: NaN, avgDurationMs: NaN });
  });
});
