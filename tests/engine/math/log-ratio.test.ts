import { describe, expect, it } from 'vitest';
import { logRatio } from '../../../src/engine/math/log-ratio.js';

/** Distance in units of the last place between two doubles of the same sign. */
function ulps(x: number, y: number): number {
  if (x === y) return 0;
  const u = Math.abs(Math.max(Math.abs(x), Math.abs(y)));
  return Math.abs(x - y) / (Number.EPSILON * 2 ** Math.floor(Math.log2(u)));
}

describe('logRatio', () => {
  it('agrees with Math.log(b / a) within a few ulp near 1 and exactly elsewhere', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const a = 10 ** (rnd() * 8 - 2);
      const scale = [1e-9, 1e-6, 1e-4, 1e-2, 0.02, 0.1, 0.14, 0.5][i % 8];
      const b = a * (1 + (rnd() - 0.5) * 2 * scale);
      const got = logRatio(a, b);
      const want = Math.log(b / a);
      if (Math.abs(b / a - 1) > 0.14) expect(got).toBe(want);
      else worst = Math.max(worst, ulps(got, want));
    }
    // Math.log(b / a) itself carries the rounding of b / a, so the two differ by a few ulp
    expect(worst).toBeLessThanOrEqual(4);
  });
  it('is 0 for equal values and follows Math.log for zeros and NaN', () => {
    expect(logRatio(5, 5)).toBe(0);
    expect(logRatio(5, 0)).toBe(-Infinity);
    expect(logRatio(0, 0)).toBeNaN();
    expect(logRatio(NaN, 1)).toBeNaN();
  });
});
