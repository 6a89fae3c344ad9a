import { describe, expect, it } from 'vitest';
import { returnDistribution } from '../../../src/engine/analysis/distribution.js';

// Reference values: numpy.quantile (linear) and scipy.stats skew / kurtosis on the same returns.
const R = [-0.05, -0.02, 0, 0.01, 0.03, 0.04, 0.02, -0.01, 0.05, 0.03];

describe('returnDistribution', () => {
  const d = returnDistribution(R);
  it('moments, with raw and excess kurtosis under distinct keys', () => {
    expect(d.mean).toBeCloseTo(0.01, 15);
    expect(d.std).toBeCloseTo(0.030550504633038936, 15);
    expect(d.skew).toBeCloseTo(-0.5914847651505895, 12);
    expect(d.kurtosis_raw).toBeCloseTo(2.5, 12);
    expect(d.kurtosis_excess).toBeCloseTo(-0.5, 12);
  });
  it('historical VaR/CVaR as returns (negative = loss) and the tail ratio', () => {
    expect(d.var_95).toBeCloseTo(-0.0365, 15);
    expect(d.cvar_95).toBeCloseTo(-0.05, 15);
    expect(d.var_99).toBeCloseTo(-0.0473, 15);
    expect(d.cvar_99).toBeCloseTo(-0.05, 15);
    expect(d.tail_ratio).toBeCloseTo(1.246575342465753, 12);
    expect([d.best, d.worst, d.positive_pct]).toEqual([0.05, -0.05, 60]);
    expect(d.warnings.join()).toMatch(/fewer than 20/);
  });
  it('CVaR averages the whole tail beyond VaR', () => {
    const r = Array.from({ length: 100 }, (_, i) => (i - 50) / 1000); // −0.05 … 0.049
    const x = returnDistribution(r);
    expect(x.var_95).toBeCloseTo(-0.05 + 0.00495, 15);
    expect(x.cvar_95).toBeCloseTo(-0.048, 15); // mean of −0.050 … −0.046
  });
  it('null + warnings where undefined', () => {
    const flat = returnDistribution([0.01, 0.01, 0.01]);
    expect(flat.skew).toBeNull();
    expect(flat.kurtosis_raw).toBeNull();
    expect(flat.std).toBe(0);
    const empty = returnDistribution([]);
    expect(empty.mean).toBeNull();
    expect(empty.var_95).toBeNull();
  });
});
