import { describe, expect, it } from 'vitest';
import { erf, erfc, logGaussMass, logNdtr, ndtr, ndtri, ndtriExp } from '../../../../src/engine/optimizer/samplers/normal.js';
import { truncnormLogPdf, truncnormPpf } from '../../../../src/engine/optimizer/samplers/truncnorm.js';

// Reference values: scipy.special (erf, erfc, ndtr, log_ndtr, ndtri) computed to 17 digits.
describe('standard normal functions', () => {
  it.each([
    [0.5, 0.5204998778130465, 0.4795001221869535],
    [1, 0.8427007929497149, 0.15729920705028513],
    [2, 0.9953222650189527, 0.004677734981047266],
    [5, 0.9999999999984626, 1.5374597944280349e-12],
    [-1, -0.8427007929497149, 1.8427007929497148],
  ])('erf/erfc(%d)', (x, e, ec) => {
    expect(erf(x)).toBeCloseTo(e, 15);
    expect(erfc(x) / ec).toBeCloseTo(1, 13);
  });

  it('Φ, log Φ and Φ⁻¹ are accurate in the tails', () => {
    expect(ndtr(-1.96)).toBeCloseTo(0.024997895148220435, 16);
    expect(logNdtr(-10) / -53.23128515051247).toBeCloseTo(1, 14);
    expect(logNdtr(-40) / -804.6084420137538).toBeCloseTo(1, 14);
    expect(logNdtr(3)).toBeCloseTo(-0.0013508099647481938, 16);
    expect(ndtri(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(ndtri(1e-10)).toBeCloseTo(-6.361340902404056, 13);
    expect(ndtri(0.975)).toBeCloseTo(1.959963984540054, 14);
    for (const x of [-80, -38, -12, -3, 0.5, 4]) expect(ndtriExp(logNdtr(x))).toBeCloseTo(x, 9);
  });

  it('log Gaussian mass of an interval is stable on both sides and in the centre', () => {
    expect(Math.exp(logGaussMass(-1, 1))).toBeCloseTo(0.6826894921370859, 15);
    expect(logGaussMass(30, 31) / logGaussMass(-31, -30)).toBe(1);
    // log Φ(−49) by the asymptotic series: −49²/2 − ln 49 − ln √(2π) + ln(1 − 1/49² + 3/49⁴ − …)
    expect(logGaussMass(-50, -49)).toBeCloseTo(-1205.3111749, 6);
    expect(logGaussMass(-1e-9, 1e-9)).toBeCloseTo(Math.log(2e-9 / Math.sqrt(2 * Math.PI)), 9);
  });
});

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
