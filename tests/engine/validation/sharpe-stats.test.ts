import { describe, expect, it } from 'vitest';
import { minTrl, psr, sharpeStdError, sharpeTStat } from '../../../src/engine/validation/sharpe-stats.js';

// Paper vectors from STATISTICS.md (Bailey & López de Prado 2012).
describe('sharpeStdError', () => {
  it('σ(SR) vector 1: T = 134, SR = 0.7079, γ₃ = −0.2250, γ₄ = 2.9570 → 0.1028', () => {
    expect(sharpeStdError({ t: 134, sr: 0.7079, skew: -0.225, kurtosisRaw: 2.957 })).toBeCloseTo(0.1028, 4);
  });
  it('σ(SR) vector 2: T = 134, SR = 0.8183, γ₃ = −1.4455, γ₄ = 7.0497 → 0.1550', () => {
    expect(sharpeStdError({ t: 134, sr: 0.8183, skew: -1.4455, kurtosisRaw: 7.0497 })).toBeCloseTo(0.155, 4);
  });
  it('reduces to √((1 + SR²/2)/(T − 1)) for normal returns', () => {
    expect(sharpeStdError({ t: 101, sr: 0.2, skew: 0, kurtosisRaw: 3 })).toBeCloseTo(Math.sqrt(1.02 / 100), 15);
  });
  it('rejects excess kurtosis passed as raw, and T ≤ 1', () => {
    expect(() => sharpeStdError({ t: 100, sr: 0.1, skew: 0, kurtosisRaw: 0 })).toThrow(/EXCESS/);
    expect(() => sharpeStdError({ t: 1, sr: 0.1, skew: 0, kurtosisRaw: 3 })).toThrow(/t must be/);
  });
});

describe('psr', () => {
  it('PSR(0) vector 1: T = 24, SR = 0.458, normal → 0.982', () => {
    expect(psr({ t: 24, sr: 0.458, skew: 0, kurtosisRaw: 3 })).toBeCloseTo(0.982, 3);
  });
  it('PSR(0) vector 2: T = 24, SR = 0.458, γ₃ = −2.448, γ₄ = 10.164 → 0.913', () => {
    expect(psr({ t: 24, sr: 0.458, skew: -2.448, kurtosisRaw: 10.164 })).toBeCloseTo(0.913, 3);
  });
  it('is 0.5 when SR equals the benchmark and falls as the benchmark rises', () => {
    const s = { t: 250, sr: 0.1, skew: -0.5, kurtosisRaw: 5 };
    expect(psr({ ...s, srBenchmark: 0.1 })).toBe(0.5);
    expect(psr({ ...s, srBenchmark: 0.05 })).toBeGreaterThan(psr({ ...s, srBenchmark: 0.08 }));
  });
});

describe('minTrl', () => {
  it('is the T at which PSR reaches exactly 1 − α', () => {
    const shape = { sr: 0.15, skew: -1, kurtosisRaw: 6 };
    for (const alpha of [0.05, 0.01]) {
      const t = minTrl({ ...shape, alpha, srBenchmark: 0.02 });
      expect(t).not.toBeNull();
      expect(psr({ ...shape, t: t as number, srBenchmark: 0.02 })).toBeCloseTo(1 - alpha, 12);
    }
  });
  it('hand-worked normal case: SR = 0.5, α = 0.05 → 1 + 1.125·(1.6448536/0.5)²', () => {
    const z = 1.6448536269514722; // Φ⁻¹(0.95)
    expect(minTrl({ sr: 0.5, skew: 0, kurtosisRaw: 3 })).toBeCloseTo(1 + 1.125 * (z / 0.5) ** 2, 10);
  });
  it('is null when SR does not exceed the benchmark', () => {
    expect(minTrl({ sr: 0.1, skew: 0, kurtosisRaw: 3, srBenchmark: 0.1 })).toBeNull();
    expect(minTrl({ sr: -0.1, skew: 0, kurtosisRaw: 3 })).toBeNull();
  });
  it('t-statistic is SR·√T', () => {
    expect(sharpeTStat(0.1, 400)).toBeCloseTo(2, 15);
  });
});
