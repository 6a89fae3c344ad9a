import { describe, expect, it } from 'vitest';
import { truncnormLogPdf, truncnormPpf } from '../../../../src/engine/optimizer/samplers/truncnorm.js';

describe('truncated normal', () => {
  it('integrates to 1 on its support and the quantile inverts the CDF', () => {
    for (const [mu, sigma, lo, hi] of [[0, 1, -1, 2], [5, 0.1, 0, 1], [0.5, 10, 0, 1], [-3, 1, 0, 10], [0, 0.01, 0.3, 0.5]]) {
      const N = 100_000;
      let mass = 0;
      const h = (hi - lo) / N;
      for (let i = 0; i < N; i++) mass += Math.exp(truncnormLogPdf(lo + (i + 0.5) * h, mu, sigma, lo, hi)) * h;
      expect(mass).toBeCloseTo(1, 5);
      for (const q of [1e-6, 0.1, 0.5, 0.9, 1 - 1e-9]) {
        const x = truncnormPpf(q, mu, sigma, lo, hi);
        expect(x).toBeGreaterThanOrEqual(lo);
        expect(x).toBeLessThanOrEqual(hi);
        // numeric CDF up to x
        let c = 0;
        const M = 20_000;
        const hx = (x - lo) / M;
        for (let i = 0; i < M; i++) c += Math.exp(truncnormLogPdf(lo + (i + 0.5) * hx, mu, sigma, lo, hi)) * hx;
        expect(c).toBeCloseTo(q, 4);
      }
    }
    expect(truncnormLogPdf(2.5, 0, 1, -1, 2)).toBe(-Infinity);
  });
});
