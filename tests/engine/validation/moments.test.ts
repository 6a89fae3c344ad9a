import { describe, expect, it } from 'vitest';
import {
  blockBounds,
  blockMoments,
  kurtosisExcess,
  kurtosisRaw,
  mean,
  returnMoments,
  skewness,
  std,
} from '../../../src/engine/validation/moments.js';

// Reference values from numpy 2.4 / scipy 1.17 on the same 8 returns:
// mean, std(ddof=1), scipy.stats.skew (bias=True), scipy.stats.kurtosis(fisher=False) and (fisher=True).
const R = [0.01, -0.02, 0.03, 0.005, -0.01, 0.04, -0.03, 0.02];

describe('moments', () => {
  it('match scipy on a small sample', () => {
    expect(mean(R)).toBeCloseTo(0.005625, 15);
    expect(std(R)).toBeCloseTo(0.02441274550019196, 15);
    expect(skewness(R)).toBeCloseTo(-0.08081551063777742, 13);
    expect(kurtosisRaw(R)).toBeCloseTo(1.789806000925809, 13);
    expect(kurtosisExcess(R)).toBeCloseTo(-1.210193999074191, 13);
  });
  it('hand-worked: symmetric two-point sample has skew 0 and raw kurtosis 1', () => {
    const x = [-1, 1, -1, 1];
    expect(skewness(x)).toBe(0);
    expect(kurtosisRaw(x)).toBe(1);
    expect(std(x)).toBeCloseTo(Math.sqrt(4 / 3), 15);
  });
  it('returnMoments reports per-period Sharpe and raw kurtosis', () => {
    const m = returnMoments(Float64Array.from(R));
    expect(m.n).toBe(8);
    expect(m.sharpe).toBeCloseTo(0.23041242944001403, 13);
    expect(m.kurtosisRaw).toBeCloseTo(1.789806000925809, 13);
    expect(m.warnings).toEqual([]);
  });
  it('returnMoments gives null + warning for constant or too-short series', () => {
    const c = returnMoments([0.001, 0.001, 0.001]);
    expect(c.sharpe).toBeNull();
    expect(c.skew).toBeNull();
    expect(c.warnings.length).toBe(1);
    const one = returnMoments([0.01]);
    expect(one.std).toBeNull();
    expect(one.warnings[0]).toMatch(/at least 2/);
    expect(() => returnMoments([0.01, NaN])).toThrow(/finite/);
  });
  it('near-constant returns (std ≤ 0.1 % of |mean|) give null + warning, not a Sharpe of 1e8', () => {
    const near = Float64Array.from({ length: 500 }, (_, i) => 1e-4 * (1 + 1e-6 * Math.sin(i)));
    const m = returnMoments(near);
    expect(m.std).toBeGreaterThan(0);
    expect(m.mean! / m.std!).toBeGreaterThan(1e5); // what the Sharpe would have been
    expect(m.sharpe).toBeNull();
    expect(m.warnings.join()).toMatch(/under 0\.1 % of their mean/);
    // variation just above the guard is a real (large) Sharpe
    const varied = Float64Array.from({ length: 500 }, (_, i) => 1e-4 * (1 + 0.01 * Math.sin(i)));
    expect(returnMoments(varied).sharpe).toBeGreaterThan(100);
  });
});

describe('blockMoments', () => {
  it('splits contiguously into equal-as-possible blocks (first blocks get the remainder)', () => {
    expect(Array.from(blockBounds(10, 4))).toEqual([0, 3, 6, 8, 10]);
    expect(Array.from(blockBounds(8, 4))).toEqual([0, 2, 4, 6, 8]);
    expect(() => blockBounds(3, 4)).toThrow(RangeError);
  });
  it('gives n, sum and sum of squares per block', () => {
    const b = blockMoments([1, 2, 3, 4, 5], 2);
    expect(b).toEqual([
      { n: 3, sum: 6, sumSq: 14 },
      { n: 2, sum: 9, sumSq: 41 },
    ]);
  });
  it('defaults to 16 blocks whose totals add up', () => {
    const r = Array.from({ length: 100 }, (_, i) => Math.sin(i));
    const b = blockMoments(r);
    expect(b.length).toBe(16);
    expect(b.reduce((s, x) => s + x.n, 0)).toBe(100);
    expect(b.reduce((s, x) => s + x.sum, 0)).toBeCloseTo(r.reduce((s, x) => s + x, 0), 12);
  });
});
