import { describe, expect, it } from 'vitest';
import { drawdownAnalysis } from '../../../src/engine/analysis/drawdowns.js';

const DAY = 86_400_000;
const EQ = [100, 110, 99, 88, 110, 120, 108, 120, 90];
const T = EQ.map((_, i) => i * DAY);

describe('drawdownAnalysis (hand-worked)', () => {
  // dd = 0, 0, 10 %, 20 %, 0, 0, 10 %, 0, 25 %
  const a = drawdownAnalysis(EQ, T, { maxEpisodes: 2, maxPoints: 3 });

  it('max, average, time under water and ulcer index', () => {
    expect(a.max_drawdown_pct).toBeCloseTo(-25, 12);
    expect(a.avg_drawdown_pct).toBeCloseTo(-55 / 3, 12);
    expect(a.time_under_water_pct).toBeCloseTo(400 / 9, 12);
    expect(a.ulcer_index).toBeCloseTo(35 / 3, 12); // √((10² + 20² + 10² + 25²)/9)
  });
  it('episodes with durations and time to recovery, deepest first, omitted ones counted', () => {
    expect(a.episodes_total).toBe(3);
    expect(a.episodes_omitted).toBe(1);
    expect(a.episodes[0]).toMatchObject({ peak_bar: 7, trough_bar: 8, end_bar: 8, recovered: false, duration_bars: 1, recovery_bars: null });
    expect(a.episodes[0].depth_pct).toBeCloseTo(-25, 12);
    expect(a.episodes[1]).toMatchObject({ peak_bar: 1, trough_bar: 3, end_bar: 4, recovered: true, duration_bars: 3, duration_days: 3, recovery_bars: 1, recovery_days: 1 });
    expect(a.max_drawdown_duration_days).toBe(3);
    expect(a.avg_drawdown_duration_days).toBe(2); // (3 + 2 + 1) / 3
  });
  it('downsamples the underwater curve keeping the deepest bar per bucket', () => {
    expect(a.underwater.time).toEqual([2 * DAY, 3 * DAY, 8 * DAY]);
    expect(a.underwater.drawdown_pct.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([-10, -20, -25]);
    expect(a.underwater.downsampled).toBe(true);
    expect(drawdownAnalysis(EQ, T).underwater.time.length).toBe(9);
    const long = Array.from({ length: 5000 }, (_, i) => 100 + Math.sin(i / 50) * 10 + i * 0.01);
    const d = drawdownAnalysis(long, long.map((_, i) => i * DAY));
    expect(d.underwater.time.length).toBe(200);
    expect(Math.min(...d.underwater.drawdown_pct)).toBeCloseTo(d.max_drawdown_pct, 12);
  });
  it('a rising curve has no episodes and a zero drawdown (with a warning, not a null)', () => {
    const up = drawdownAnalysis([1, 2, 3], [0, DAY, 2 * DAY]);
    expect(up.max_drawdown_pct).toBe(0);
    expect(up.episodes_total).toBe(0);
    expect(up.avg_drawdown_pct).toBeNull();
    expect(up.warnings.length).toBe(1);
    expect(() => drawdownAnalysis([0, 1], [0, 1])).toThrow(/equity\[0\]/);
  });
});
