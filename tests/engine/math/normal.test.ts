/**
 * The engine's one standard normal module: the optimizer's log-space functions (scipy.special
 * references) and the validation's Φ / Φ⁻¹ (mpmath references), and the textbook values.
 */
import { describe, expect, it } from 'vitest';
import { erf, erfc, logGaussMass, logNdtr, ndtr, ndtri, ndtriExp, normalCdf, normalPdf, normalQuantile } from '../../../src/engine/math/normal.js';

describe('known values', () => {
  it('erf(0.5), Φ⁻¹(0.975), φ(0)', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
  });
});

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

// Reference values: mpmath 1.3 at 40 significant digits (mpmath.ncdf, and
// sqrt(2)·erfinv(2p − 1) for the quantile), i.e. an independent arbitrary-precision library.
const CDF: [number, number][] = [
  [-37, 5.7255712225245768227e-300],
  [-20, 2.7536241186062336951e-89],
  [-10, 7.619853024160526066e-24],
  [-5, 2.8665157187919391167e-7],
  [-1.96, 0.024997895148220434137],
  [-1, 0.15865525393145705141],
  [-0.25, 0.40129367431707627576],
  [0, 0.5],
  [0.5, 0.6914624612740131036],
  [1, 0.84134474606854294859],
  [3, 0.99865010196836990547],
  [8, 0.9999999999999993779],
];

const QUANTILE: [number, number][] = [
  [1e-300, -37.047096299361199237],
  [1e-12, -7.0344838253011319298],
  [0.001, -3.0902323061678135415],
  [0.02, -2.0537489106318230529],
  [0.025, -1.9599639845400542355],
  [0.3, -0.52440051270804078404],
  [0.8, 0.84162123357291420518],
  [0.975, 1.9599639845400542355],
  [1 - 2 ** -20, 4.763001034267813957],
];

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('normalCdf', () => {
  it.each(CDF)('Φ(%s) matches the 40-digit reference to 1e-12 relative', (x, ref) => {
    expect(relErr(normalCdf(x), ref)).toBeLessThan(1e-12);
  });
  it('handles infinities and NaN', () => {
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(Number.isNaN(normalCdf(NaN))).toBe(true);
  });
  it('is symmetric: Φ(x) + Φ(−x) = 1', () => {
    for (const x of [0.1, 0.7, 1.3, 2.9, 4.4]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });
  it('erf and erfc are complementary and odd/even as expected', () => {
    for (const x of [-3, -0.4, 0.2, 0.47, 1.5, 5]) {
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erfc(30)).toBe(0);
  });
});

describe('normalQuantile', () => {
  it.each(QUANTILE)('Φ⁻¹(%s) matches the 40-digit reference to 1e-12 relative', (p, ref) => {
    expect(relErr(normalQuantile(p), ref)).toBeLessThan(1e-12);
  });
  it('inverts Φ across the range (extremes on the lower tail, where Φ keeps full precision)', () => {
    for (const x of [-30, -8, -2.5, -0.01, 0.3, 2]) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 10);
  });
  it('is antisymmetric: Φ⁻¹(1 − q) = −Φ⁻¹(q) for exactly representable pairs', () => {
    for (const q of [2 ** -30, 2 ** -10, 0.125, 0.375]) expect(normalQuantile(1 - q)).toBe(-normalQuantile(q));
  });
  it('returns the exact limits at 0, 0.5 and 1 and rejects p outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.5)).toBe(0);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(NaN)).toThrow(RangeError);
  });
});
