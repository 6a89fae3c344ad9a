/** Annualised risk metrics on a hand-worked return vector (EXECUTION.md §3 and §4). */
import { describe, expect, it } from 'vitest';
import { btpyRisk, downsideDeviation, standardRisk } from '../../../src/engine/metrics/risk.js';

// r = +2 %, −1 %, +3 %, −2 %: mean 0.005; deviations ±0.015, ±0.025 → var 0.0017/3
// downside over ALL four observations: √((0.01² + 0.02²)/4) = √0.000125
const r = Float64Array.from([0.02, -0.01, 0.03, -0.02]);
const A = 252;

describe('standardRisk (default profile)', () => {
  const s = standardRisk(r, A, 0);

  it('volatility and Sharpe from the ddof-1 standard deviation, annualised by √A', () => {
    const std = Math.sqrt(0.0017 / 3);
    expect(s.volatilityAnn).toBeCloseTo(std * Math.sqrt(A), 12);
    expect(s.sharpe).toBeCloseTo((0.005 / std) * Math.sqrt(A), 10);
  });

  it('Sortino divides by the downside deviation over ALL observations', () => {
    expect(downsideDeviation(r, 0)).toBeCloseTo(Math.sqrt(0.000125), 15);
    expect(s.sortino).toBeCloseTo((0.005 / Math.sqrt(0.000125)) * Math.sqrt(A), 10);
    expect(s.sortino).toBeCloseTo(7.0993, 3);
    // not the std of the negative returns only (that would give ≈ 11.2)
    expect(Math.abs(s.sortino - (0.005 / Math.sqrt(0.00005)) * Math.sqrt(A))).toBeGreaterThan(1);
  });

  it('return_ann compounds the geometric mean', () => {
    const g = Math.pow(1.02 * 0.99 * 1.03 * 0.98, 1 / 4) - 1;
    expect(s.returnAnn).toBeCloseTo((1 + g) ** A - 1, 12);
  });

  it('a risk-free rate is subtracted per period (rf / A)', () => {
    const w = standardRisk(r, A, 0.0252);
    expect(w.sharpe).toBeCloseTo(((0.005 - 0.0001) / Math.sqrt(0.0017 / 3)) * Math.sqrt(A), 10);
  });

  it('zero variance → Sharpe NaN with a reason; no losing period → Sortino NaN', () => {
    const flat = standardRisk(new Float64Array(10), A, 0);
    expect(flat.sharpe).toBeNaN();
    expect(flat.why.sharpe).toMatch(/zero variance/);
    const up = standardRisk(Float64Array.from([0.01, 0.02, 0.01]), A, 0);
    expect(up.sortino).toBeNaN();
    expect(up.why.sortino).toBeDefined();
    expect(standardRisk(Float64Array.from([0.01]), A, 0).why.volatility).toMatch(/fewer than 2/);
  });

  it('near-constant returns → Sharpe NaN with a reason in both profiles (the guard is relative to the mean)', () => {
    const near = Float64Array.from({ length: 400 }, (_, i) => 2e-4 + 1e-9 * Math.cos(i));
    for (const f of [standardRisk, btpyRisk]) {
      const x = f(near, A, 0);
      expect(x.sharpe).toBeNaN();
      expect(x.why.sharpe).toMatch(/under 0\.1 % of their mean/);
    }
  });
});

describe('btpyRisk (backtesting.py 0.6.6 formulas)', () => {
  it('restates §4 on the same vector', () => {
    const s = btpyRisk(r, A, 0);
    const g = Math.pow(1.02 * 0.99 * 1.03 * 0.98, 1 / 4) - 1;
    const ann = (1 + g) ** A - 1;
    const vol = Math.sqrt((0.0017 / 3 + (1 + g) ** 2) ** A - (1 + g) ** (2 * A));
    expect(s.returnAnn).toBeCloseTo(ann, 12);
    expect(s.volatilityAnn).toBeCloseTo(vol, 10);
    expect(s.sharpe).toBeCloseTo(ann / vol, 10);
    expect(s.sortino).toBeCloseTo(ann / (Math.sqrt(0.000125) * Math.sqrt(A)), 10);
  });
});
