import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mostLikelyRegime, regimeProbabilities } from '../../../src/engine/strategies/regime.js';

const one = (adx: number, bwz: number) => {
  const p = regimeProbabilities(Float64Array.of(adx), Float64Array.of(bwz));
  return { trend: p.trend[0], range: p.range[0], balanced: p.balanced[0], regime: mostLikelyRegime(p, 0) };
};

describe('regime classifier', () => {
  it('hand-worked softmax: ADX 25, bandwidth z 0 → logits (0, −1, 0)', () => {
    const e = Math.exp(-1);
    const r = one(25, 0);
    expect(r.trend).toBeCloseTo(1 / (2 + e), 15);
    expect(r.range).toBeCloseTo(e / (2 + e), 15);
    expect(r.balanced).toBeCloseTo(1 / (2 + e), 15);
    expect(r.regime).toBe('trend'); // tie with balanced resolved in favour of trend
  });

  it('classifies strong trends, ranges and the middle', () => {
    expect(one(50, 0).regime).toBe('trend');
    expect(one(8, 0).regime).toBe('range');
    expect(one(22.5, 0).regime).toBe('balanced');
    // expanding bands push towards trend, contracting towards range
    expect(one(22.5, 3).regime).toBe('trend');
    expect(one(22.5, -3).regime).toBe('range');
    expect(one(50, 0).trend).toBeGreaterThan(0.99);
  });

  it('probabilities are in [0, 1], sum to 1, and trend probability grows with ADX (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (a, z) => {
        const r = one(a, z);
        for (const v of [r.trend, r.range, r.balanced]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(Math.abs(r.trend + r.range + r.balanced - 1)).toBeLessThan(1e-12);
        expect(one(Math.min(100, a + 5), z).trend).toBeGreaterThanOrEqual(r.trend);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('NaN ADX → NaN probabilities and no regime; NaN bandwidth z counts as 0', () => {
    const r = one(Number.NaN, 0);
    expect(Number.isNaN(r.trend) && Number.isNaN(r.range) && Number.isNaN(r.balanced)).toBe(true);
    expect(r.regime).toBeUndefined();
    expect(one(30, Number.NaN)).toEqual(one(30, 0));
  });
});
