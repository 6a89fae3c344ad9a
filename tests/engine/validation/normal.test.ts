import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalQuantile } from '../../../src/engine/validation/normal.js';

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
