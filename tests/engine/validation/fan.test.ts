/** tradeFan: seeded trade-bootstrap equity percentiles and per-path max drawdowns. */
import { describe, expect, it } from 'vitest';
import { tradeFan } from '../../../src/engine/validation/fan.js';

describe('tradeFan', () => {
  it('constant trade returns give one path: every percentile is (1 + r)^k, no drawdown', () => {
    const f = tradeFan([0.01, 0.01, 0.01, 0.01], { paths: 50, seed: 1, points: 5 })!;
    expect(f.step).toEqual([0, 1, 2, 3, 4]);
    for (const [k, s] of f.step.entries()) for (const p of [f.p5, f.p25, f.p50, f.p75, f.p95]) expect(p[k]).toBeCloseTo(1.01 ** s, 12);
    expect(f.max_drawdown_pct.every((d) => d === 0)).toBe(true);
  });

  it('percentiles are ordered, start at 1, same seed same fan, another seed another', () => {
    const r = Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7) * 0.03 + 0.001);
    const a = tradeFan(r, { paths: 300, seed: 7 })!;
    const b = tradeFan(r, { paths: 300, seed: 7 })!;
    const c = tradeFan(r, { paths: 300, seed: 8 })!;
    expect(a).toEqual(b);
    expect(c.p50).not.toEqual(a.p50);
    expect(a.p50[0]).toBe(1);
    for (let k = 0; k < a.step.length; k++) {
      expect(a.p5[k]).toBeLessThanOrEqual(a.p25[k]);
      expect(a.p25[k]).toBeLessThanOrEqual(a.p50[k]);
      expect(a.p50[k]).toBeLessThanOrEqual(a.p75[k]);
      expect(a.p75[k]).toBeLessThanOrEqual(a.p95[k]);
    }
    expect(a.step[a.step.length - 1]).toBe(200);
    expect(a.max_drawdown_pct).toHaveLength(300);
    expect(Math.min(...a.max_drawdown_pct)).toBeLessThan(-5);
    expect(Math.max(...a.max_drawdown_pct)).toBeLessThanOrEqual(0);
  });

  it('a loss of 100 % or more ruins the path (equity 0), and fewer than 2 trades give no fan', () => {
    const f = tradeFan([-1.5, -1.5], { paths: 20, seed: 1 })!;
    expect(f.p50[f.p50.length - 1]).toBe(0);
    expect(f.max_drawdown_pct.every((d) => d === -100)).toBe(true);
    expect(tradeFan([0.1], { paths: 20, seed: 1 })).toBeNull();
  });
});
