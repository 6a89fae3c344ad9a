import { describe, expect, it } from 'vitest';
import {
  averageOffDiagonal,
  deflatedSharpe,
  effectiveN,
  expectedMaxSharpe,
  trialSharpeVariance,
} from '../../../src/engine/validation/dsr.js';
import { psr } from '../../../src/engine/validation/sharpe-stats.js';

// Paper vectors from STATISTICS.md (Bailey & López de Prado 2014).
describe('expectedMaxSharpe', () => {
  it.each([
    [2, 0.5198],
    [10, 1.5746],
    [100, 2.5306],
  ])('E[max] for unit variance, N = %s → %s', (n, ref) => {
    expect(expectedMaxSharpe(n, 1)).toBeCloseTo(ref, 4);
  });
  it('scales with √V and is 0 for N = 1 or V = 0', () => {
    expect(expectedMaxSharpe(10, 4)).toBeCloseTo(2 * expectedMaxSharpe(10, 1), 14);
    expect(expectedMaxSharpe(1, 3)).toBe(0);
    expect(expectedMaxSharpe(50, 0)).toBe(0);
  });
  it('is clamped at 0 for an effective N just above 1, and increases with N', () => {
    expect(expectedMaxSharpe(1.05, 1)).toBe(0);
    let prev = 0;
    for (const n of [1.5, 2, 5, 20, 1000]) {
      const e = expectedMaxSharpe(n, 1);
      expect(e).toBeGreaterThan(prev);
      prev = e;
    }
    expect(() => expectedMaxSharpe(0.5, 1)).toThrow(RangeError);
  });
});

describe('deflatedSharpe', () => {
  it('paper example: N = 100, SR 2.5/√250, V = 0.5/250, T = 1250, γ₃ = −3, γ₄ = 10 → SR₀ = 0.113172, DSR = 0.9004', () => {
    const r = deflatedSharpe({
      sr: 2.5 / Math.sqrt(250),
      t: 1250,
      skew: -3,
      kurtosisRaw: 10,
      nTrials: 100,
      srVariance: 0.5 / 250,
      nSource: 'paper example',
    });
    expect(r.sr0).toBeCloseTo(0.113172, 6);
    expect(r.dsr).toBeCloseTo(0.9004, 4);
    expect(r.n_used).toBe(100);
    expect(r.n_source).toBe('paper example');
  });
  it('N = 1 or V = 0 ⇒ DSR = PSR(0)', () => {
    const s = { sr: 0.08, t: 500, skew: -0.7, kurtosisRaw: 5.5 };
    const p = psr(s);
    expect(deflatedSharpe({ ...s, nTrials: 1, srVariance: 0.01 }).dsr).toBe(p);
    const v0 = deflatedSharpe({ ...s, nTrials: 40, srVariance: 0 });
    expect(v0.dsr).toBe(p);
    expect(v0.psr0).toBe(p);
    expect(v0.warnings.join()).toMatch(/variance is 0/);
  });
  it('more trials deflate more', () => {
    const s = { sr: 0.1, t: 1000, skew: 0, kurtosisRaw: 3, srVariance: 0.001 };
    expect(deflatedSharpe({ ...s, nTrials: 10 }).dsr).toBeGreaterThan(deflatedSharpe({ ...s, nTrials: 1000 }).dsr);
  });
});

describe('effectiveN', () => {
  it('N_eff = ρ̄ + (1 − ρ̄)·N, clamped to [1, N]', () => {
    expect(effectiveN(0, 100)).toBe(100);
    expect(effectiveN(1, 100)).toBe(1);
    expect(effectiveN(0.5, 100)).toBe(50.5);
    expect(effectiveN(-0.2, 100)).toBe(100);
  });
  it('accepts a correlation matrix', () => {
    const m = [
      [1, 0.2, 0.4],
      [0.2, 1, 0.6],
      [0.4, 0.6, 1],
    ];
    expect(averageOffDiagonal(m)).toBeCloseTo(0.4, 15);
    expect(effectiveN(m)).toBeCloseTo(0.4 + 0.6 * 3, 14);
  });
  it('trial Sharpe variance is the ddof-1 variance of the finite Sharpes', () => {
    expect(trialSharpeVariance([0.1, 0.2, NaN, 0.3])).toBeCloseTo(0.01, 15);
    expect(Number.isNaN(trialSharpeVariance([0.1]))).toBe(true);
  });
});
