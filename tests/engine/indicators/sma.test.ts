import { describe, expect, it } from 'vitest';
import { sma } from '../../../src/engine/indicators/sma.js';

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
