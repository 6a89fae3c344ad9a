/**
 * The equal-weight, daily-rebalanced ensemble (src/research/scenarios/ensemble-math.ts) on
 * hand-worked cases: the numbers below are computed by hand from the stated day returns.
 */
import { describe, expect, it } from 'vitest';
import { dailyCurve, equalWeightEnsemble, headlineMetrics } from '../../src/research/scenarios/ensemble-math.js';

const DAY = 86_400_000;
const D0 = Date.UTC(2024, 0, 1); // a Monday

/** Two bars per day (06:00 and 18:00 UTC); `ends` are the day-end equities, the 06:00 bar is noise. */
function curve(ends: number[], firstDay = 0): { time: Float64Array; equity: Float64Array } {
  const time: number[] = [];
  const equity: number[] = [];
  ends.forEach((e, d) => {
    time.push(D0 + (firstDay + d) * DAY + 6 * 3_600_000, D0 + (firstDay + d) * DAY + 18 * 3_600_000);
    equity.push(e * 0.97, e);
  });
  return { time: Float64Array.from(time), equity: Float64Array.from(equity) };
}

describe('equal-weight ensemble', () => {
  it('samples each day at its last bar', () => {
    const c = dailyCurve(curve([100, 110, 99]));
    expect([...c.values]).toEqual([100, 110, 99]);
    expect([...c.days]).toEqual([D0, D0 + DAY, D0 + 2 * DAY]);
  });

  it('rebalances daily: +10/−10/+10 % beside a flat member gives +5/−5/+5 % a day', () => {
    const a = curve([100, 110, 99, 108.9]);
    const b = curve([100, 100, 100, 100]);
    const e = equalWeightEnsemble([a, b], 1000);
    // 1000 → 1050 → 997.5 → 1047.375 (buy-and-hold 50/50 would end at 1044.5)
    expect(e.equity[1]).toBeCloseTo(1050, 9);
    expect(e.equity[2]).toBeCloseTo(997.5, 9);
    expect(e.equity[3]).toBeCloseTo(1047.375, 9);
    expect(e.metrics.return_pct).toBeCloseTo(4.7375, 9);
    expect(e.metrics.max_drawdown_pct).toBeCloseTo(-5, 9); // 997.5 / 1050 − 1
    expect(e.metrics.days).toBe(4);
    // the flat member has no volatility: its Sharpe is undefined, reported as null with a reason
    expect(e.members[1].metrics.sharpe).toBeNull();
    expect(e.members[1].warnings.join(' ')).toMatch(/sharpe/);
    expect(e.members[0].metrics.return_pct).toBeCloseTo(8.9, 9);
  });

  it('opposite members cancel out: zero return and an undefined Sharpe (not a huge one)', () => {
    const e = equalWeightEnsemble([curve([100, 110, 121, 133.1]), curve([100, 90, 81, 72.9])], 500);
    expect([...e.equity].map((v) => +v.toFixed(9))).toEqual([500, 500, 500, 500]);
    expect(e.metrics.return_pct).toBe(0);
    expect(e.metrics.sharpe).toBeNull();
    expect(e.avg_correlation).toBeNull(); // constant ±10 % series have zero variance: no correlation
  });

  it('reports the mean pairwise correlation of the day returns', () => {
    const grow = (rs: number[]): number[] => rs.reduce((acc, r) => [...acc, acc[acc.length - 1] * (1 + r)], [100]);
    const e = equalWeightEnsemble([curve(grow([0.01, -0.02, 0.03])), curve(grow([-0.01, 0.02, -0.03])), curve(grow([0.01, -0.02, 0.03]))]);
    // pairs: (a, b) −1, (a, c) +1, (b, c) −1 → mean −1/3
    expect(e.avg_correlation).toBeCloseTo(-1 / 3, 9);
  });

  it('uses only the days all members are live, carrying a closed market’s value over its missing days', () => {
    // a: days 0..5 every day; b: starts on day 1 and has no bar on day 3
    const a = curve([100, 102, 104.04, 106.1208, 108.243216, 110.40808032]); // +2 % a day
    const bRaw = curve([200, 220, 220, 242], 1);
    const keep = [0, 1, 2, 3, 6, 7]; // bars of days 1, 2 and 4: day 3 (bars 4 and 5) is missing
    const b = { time: Float64Array.from(keep.map((k) => bRaw.time[k])), equity: Float64Array.from(keep.map((k) => bRaw.equity[k])) };
    // b's day ends: day 1 → 200, day 2 → 220, day 4 → 242 (day 3 missing)
    const e = equalWeightEnsemble([a, b], 100);
    expect([...e.days].map((d) => (d - D0) / DAY)).toEqual([1, 2, 3, 4]);
    // day returns: a +2 % each day; b +10 %, 0 % (no bar: value carried), +10 %
    const r = [(0.02 + 0.1) / 2, (0.02 + 0) / 2, (0.02 + 0.1) / 2];
    let v = 100;
    for (let k = 0; k < 3; k++) {
      v *= 1 + r[k];
      expect(e.equity[k + 1]).toBeCloseTo(v, 9);
    }
  });

  it('annualises with 365 periods when weekends trade, 252 otherwise', () => {
    const days = Float64Array.from({ length: 30 }, (_, k) => D0 + k * DAY);
    const vals = Float64Array.from({ length: 30 }, (_, k) => 100 * 1.001 ** k * (k % 3 === 0 ? 0.999 : 1));
    expect(headlineMetrics(days, vals).metrics.periods_per_year).toBe(365);
    const weekdays = Float64Array.from([...days].filter((d) => {
      const wd = new Date(d).getUTCDay();
      return wd !== 0 && wd !== 6;
    }));
    expect(headlineMetrics(weekdays, vals.slice(0, weekdays.length)).metrics.periods_per_year).toBe(252);
  });

  it('refuses fewer than two members or members without a common period', () => {
    expect(() => equalWeightEnsemble([curve([1, 2])])).toThrow(/at least 2 members/);
    expect(() => equalWeightEnsemble([curve([1, 2]), curve([1, 2], 5)])).toThrow(/overlap/);
  });
});
