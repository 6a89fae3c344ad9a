/** The altered series of the look-ahead check, the near-tie perturbation and the probe points. */
import { describe, expect, it } from 'vitest';
import { validateCandles } from '../../../src/engine/data/validate.js';
import { createRng } from '../../../src/engine/random.js';
import { decisions } from '../../../src/engine/validation/bias-compare.js';
import { spreadPoints } from '../../../src/engine/validation/bias-points.js';
import { alterAfter, mirrorAfter, perturb, randomWalkAfter, recentVolatility } from '../../../src/engine/validation/bias-series.js';
import { randomWalk } from '../strategies/helpers.js';

const c = randomWalk(77, 300);
const COLS = ['open', 'high', 'low', 'close', 'volume'] as const;

describe('series altered after a cut', () => {
  for (const how of ['mirrored', 'random_walk'] as const) {
    it(`${how}: bars up to the cut unchanged, every price after it changed, valid OHLC, same times`, () => {
      const cut = 120;
      const a = alterAfter(c, cut, how, 3);
      expect(validateCandles(a)).toEqual([]);
      expect(a.time).toEqual(c.time);
      for (const col of COLS) expect(Array.from(a[col].subarray(0, cut + 1))).toEqual(Array.from(c[col].subarray(0, cut + 1)));
      for (let t = cut + 1; t < c.time.length; t++) expect(a.close[t], `close at ${t}`).not.toBe(c.close[t]);
      // the input is never modified
      expect(alterAfter(c, cut, how, 3)).toEqual(a);
    });
  }

  it('the mirror turns every move after the cut into the opposite move of the same log size', () => {
    const cut = 50;
    const m = mirrorAfter(c, cut);
    for (let t = cut + 1; t < c.time.length; t++) {
      expect(Math.log(m.close[t] / c.close[cut])).toBeCloseTo(-Math.log(c.close[t] / c.close[cut]), 12);
      expect(m.high[t]).toBeCloseTo((c.close[cut] ** 2) / c.low[t], 9);
    }
    expect(Math.sign(m.close[cut + 1] - m.close[cut])).toBe(-Math.sign(c.close[cut + 1] - c.close[cut]));
  });

  it('the random walk is seeded and has the volatility of the bars before the cut', () => {
    const cut = 100;
    expect(randomWalkAfter(c, cut, 9)).toEqual(randomWalkAfter(c, cut, 9));
    expect(randomWalkAfter(c, cut, 9).close).not.toEqual(randomWalkAfter(c, cut, 10).close);
    const long = randomWalk(5, 20_000);
    const w = randomWalkAfter(long, 1000, 1);
    const sigma = recentVolatility(long, 1000);
    expect(recentVolatility(w, long.time.length - 1, 18_000) / sigma).toBeGreaterThan(0.95);
    expect(recentVolatility(w, long.time.length - 1, 18_000) / sigma).toBeLessThan(1.05);
  });

  it('a zero price: mirrored additively, lifted to stay valid', () => {
    const low = c.low.slice();
    low[200] = 0;
    const z = { ...c, low };
    const m = mirrorAfter(z, 10);
    expect(validateCandles(m)).toEqual([]);
    // one constant lifts the additive mirror: differences between bars are mirrored exactly
    expect(m.close[30] - m.close[20]).toBeCloseTo(-(z.close[30] - z.close[20]), 9);
    const atZero = { ...z, close: z.close.map((x, t) => (t === 10 ? 0 : x)), low: z.low.map((x, t) => (t === 10 ? 0 : x)) };
    expect(validateCandles(randomWalkAfter(atZero, 10, 1))).toEqual([]);
  });

  it('rejects a cut outside the series', () => {
    expect(() => alterAfter(c, 300, 'mirrored', 1)).toThrow(/cut/);
    expect(() => alterAfter(c, -1, 'mirrored', 1)).toThrow(/cut/);
  });
});

describe('near-tie perturbation', () => {
  it('moves every bar by at most rel, in opposite directions for the two signs, keeping OHLC valid', () => {
    const up = perturb(c, 1e-6, 4, 1);
    const down = perturb(c, 1e-6, 4, -1);
    expect(validateCandles(up)).toEqual([]);
    for (let t = 0; t < c.time.length; t++) {
      const a = up.close[t] / c.close[t] - 1;
      const b = down.close[t] / c.close[t] - 1;
      expect(Math.abs(a)).toBeLessThanOrEqual(1e-6 + 1e-15);
      expect(a + b).toBeCloseTo(0, 14);
    }
  });
});

describe('probe points', () => {
  it('one point per stratum, in range, at a decision bar where the stratum has one', () => {
    const n = 100;
    const entry = new Int8Array(n);
    for (const t of [12, 47, 48, 90]) entry[t] = 1;
    const d = decisions({ entry, exit: new Uint8Array(n), warmup: 5 });
    const pts = spreadPoints(10, 99, 3, createRng(1), d);
    expect(pts).toHaveLength(3);
    expect(pts[0]).toBe(12); // [10, 39]: the one decision bar
    expect([47, 48]).toContain(pts[1]); // [40, 69]
    expect(pts[2]).toBe(90); // [70, 99]
    const plain = spreadPoints(0, 9, 20, createRng(2));
    expect(plain).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(spreadPoints(5, 4, 3, createRng(1))).toEqual([]);
  });
});
