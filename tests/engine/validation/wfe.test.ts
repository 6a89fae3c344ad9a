import { describe, expect, it } from 'vitest';
import { annualizedReturn, equityReturns, stitchEquity, walkForwardEfficiency } from '../../../src/engine/validation/wfe.js';

describe('walkForwardEfficiency', () => {
  it('is a ratio of sums over windows with IS > 0; IS ≤ 0 windows are n/a and counted', () => {
    const r = walkForwardEfficiency([
      { isReturnAnn: 0.2, oosReturnAnn: 0.1 },
      { isReturnAnn: 0.4, oosReturnAnn: 0.2 },
      { isReturnAnn: -0.1, oosReturnAnn: 0.3 },
      { isReturnAnn: 0, oosReturnAnn: 0.05 },
      { isReturnAnn: 0.001, oosReturnAnn: -0.1 },
    ]);
    // (0.1 + 0.2 − 0.1) / (0.2 + 0.4 + 0.001); a mean of ratios would be dominated by −100.
    expect(r.wfe).toBeCloseTo(0.2 / 0.601, 14);
    expect(r.n_used).toBe(3);
    expect(r.n_na).toBe(2);
    expect(r.per_window[2].wfe).toBe('n/a');
    expect(r.per_window[3].wfe).toBe('n/a');
    expect(r.per_window[0].wfe).toBeCloseTo(0.5, 15);
  });
  it('is null with a warning when every window is n/a', () => {
    const r = walkForwardEfficiency([{ isReturnAnn: -0.2, oosReturnAnn: 0.1 }]);
    expect(r.wfe).toBeNull();
    expect(r.warnings.join()).toMatch(/no window/);
  });
});

describe('annualizedReturn', () => {
  it('compounds: +21 % over 2 years is +10 % a year; half a year of +10 % is +21 % a year', () => {
    expect(annualizedReturn(0.21, 2)).toBeCloseTo(0.1, 14);
    expect(annualizedReturn(0.1, 0.5)).toBeCloseTo(0.21, 14);
    expect(annualizedReturn(-1, 1)).toBe(-1);
    expect(annualizedReturn(0.1, 0)).toBeNull();
  });
});

describe('stitchEquity', () => {
  it('chains segments multiplicatively from the start value', () => {
    const eq = stitchEquity([[0.1, -0.5], [], [1]], 100);
    expect(Array.from(eq)).toEqual([100, 110.00000000000001, 55.00000000000001, 110.00000000000001]);
  });
  it('a window that went bankrupt stitches as a total loss, and the account stays at 0 (no 0/0)', () => {
    const bankrupt = equityReturns([100, 40, 0, 0, 0]);
    expect(Array.from(bankrupt)).toEqual([-0.6, -1, 0, 0]);
    const negative = equityReturns([100, -20, -20]);
    expect(Array.from(negative)).toEqual([-1.2, 0]);
    const eq = stitchEquity([equityReturns([10, 11]), bankrupt, equityReturns([7, 8, 9])], 1000);
    expect(Array.from(eq)).toEqual([1000, 1100, 440, 0, 0, 0, 0, 0]);
  });
  it('round-trips with equityReturns', () => {
    const segs = [equityReturns([10, 11, 12.1]), equityReturns([5, 4, 6])];
    const eq = stitchEquity(segs);
    expect(eq[eq.length - 1]).toBeCloseTo(1.21 * 1.2, 14);
    expect(eq.length).toBe(5);
  });
});
