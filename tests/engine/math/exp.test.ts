import { describe, expect, it } from 'vitest';
import { expNeg } from '../../../src/engine/math/exp.js';
import { createRng } from '../../../src/engine/random.js';

const ulps = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / (Math.abs(b) * 2 ** -52));

describe('expNeg (fdlibm exp for x <= 0)', () => {
  it('matches Math.exp to 1 ulp over (−700, 0], at fdlibm’s branch points and in the far range', () => {
    const rng = createRng(11);
    const xs: number[] = [0, -0, -1e-300, -(2 ** -28), -(2 ** -28) * (1 + 2 ** -52), -0.34657359027997264, -0.3465735902799727, -1.0397207708399179, -1.039720770839918, -37, -700];
    for (let i = 0; i < 20_000; i++) xs.push(-40 * rng.next(), -1e-6 * rng.next(), -700 * rng.next());
    for (let k = 1; k < 60; k++) for (let u = -3; u <= 3; u++) xs.push(-(k + 0.5) * Math.LN2 * (1 + u * 2 ** -52));
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, ulps(expNeg(x), Math.exp(x)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('hands other arguments to Math.exp', () => {
    for (const x of [1, 800, -745, -800, -Infinity, NaN]) expect(Object.is(expNeg(x), Math.exp(x))).toBe(true);
  });
});
