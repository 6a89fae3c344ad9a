import { describe, expect, it } from 'vitest';
import { sma, smaPair } from '../../../src/engine/indicators/sma.js';

describe('sma', () => {
  it('is NaN during warm-up and the window mean after', () => {
    const out = sma(Float64Array.from([1, 2, 3, 4, 5]), 3);
    expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
    expect(Array.from(out.subarray(2))).toEqual([2, 3, 4]);
  });
  it('returns the value itself for a window of identical values (pandas rule)', () => {
    const out = sma(Float64Array.from([0.1, 0.1, 0.1, 0.1]), 3);
    expect(out[3]).toBe(0.1);
  });
  it('rejects a non-integer or non-positive period', () => {
    expect(() => sma(new Float64Array(3), 0)).toThrow(/period/);
    expect(() => sma(new Float64Array(3), 2.5)).toThrow(/period/);
  });
});

describe('smaPair', () => {
  const series = (n: number, seed: number, ties: boolean): Float64Array => {
    let x = seed;
    const out = new Float64Array(n);
    let v = 100;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      // tie-heavy series repeat values so the "identical window" rule of pandas is exercised
      if (!ties || x % 3 === 0) v += (x / 2147483648 - 0.5) * 3.7;
      out[i] = v;
    }
    return out;
  };
  it.each([
    [1, 2], [3, 7], [10, 30], [30, 10], [5, 5], [1, 1], [40, 3], [2, 250],
  ])('is bit-identical to two sma calls (periods %i, %i)', (pa, pb) => {
    for (const [n, seed, ties] of [[500, 1, false], [500, 7, true], [20, 3, false], [2, 5, true], [0, 1, false]] as const) {
      const v = series(n, seed, ties);
      const [a, b] = smaPair(v, pa, pb);
      expect(Array.from(a)).toEqual(Array.from(sma(v, pa)));
      expect(Array.from(b)).toEqual(Array.from(sma(v, pb)));
    }
  });
  it('rejects a bad period naming it', () => {
    expect(() => smaPair(new Float64Array(3), 2, 0)).toThrow(/period/);
  });
});
