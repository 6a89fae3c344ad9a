import { describe, expect, it } from 'vitest';
import { columnsOf, pbo, pboFromReturns } from '../../../src/engine/validation/pbo.js';
import { blockMoments } from '../../../src/engine/validation/moments.js';
import { createRng } from '../../../src/engine/random.js';

// CSCV toy vector from STATISTICS.md: T = 8, N = 4, S = 4 blocks of 2 rows, metric = mean.
const TOY = [
  [0, 12, 8, 7],
  [5, 3, -4, 12],
  [-1, -7, 9, -8],
  [9, 3, -10, -11],
  [-1, -12, -9, 0],
  [12, -1, 8, 10],
  [8, 3, -1, 0],
  [-6, 0, -3, -6],
];

function noise(nTrials: number, t: number, seed: number, shift: (trial: number, row: number) => number = () => 0): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: nTrials }, (_, j) => Float64Array.from({ length: t }, (_, i) => 0.01 * rng.normal() + shift(j, i)));
}

/** Straightforward CSCV on the raw rows (pooling rows, no block moments), for cross-checking. */
function bruteForce(cols: Float64Array[], s: number, metric: 'mean' | 'sharpe'): { pbo: number; loss: number } {
  const t = cols[0].length;
  const size = t / s;
  const stat = (xs: number[]): number => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    if (metric === 'mean') return m;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
    return m / Math.sqrt(v);
  };
  const rows = (c: Float64Array, blocks: number[]): number[] => blocks.flatMap((b) => Array.from(c.subarray(b * size, (b + 1) * size)));
  let below = 0;
  let loss = 0;
  let total = 0;
  const choose = (start: number, picked: number[]): void => {
    if (picked.length === s / 2) {
      const rest = Array.from({ length: s }, (_, b) => b).filter((b) => !picked.includes(b));
      const is = cols.map((c) => stat(rows(c, picked)));
      const oos = cols.map((c) => stat(rows(c, rest)));
      const best = is.indexOf(Math.max(...is));
      const rank = 1 + oos.filter((v) => v < oos[best]).length;
      const w = rank / (cols.length + 1);
      if (Math.log(w / (1 - w)) < 0) below++;
      if (oos[best] < 0) loss++;
      total++;
      return;
    }
    for (let b = start; b < s; b++) choose(b + 1, [...picked, b]);
  };
  choose(0, []);
  return { pbo: below / total, loss: loss / total };
}

describe('pbo (CSCV)', () => {
  it('toy vector: PBO = 3/6 and P(in-sample winner loses OOS) = 2/6 with metric = mean, S = 4', () => {
    const r = pboFromReturns(columnsOf(TOY), { blocks: 4, metric: 'mean' });
    expect(r.n_splits).toBe(6);
    expect(r.pbo).toBe(0.5);
    expect(r.prob_oos_loss).toBeCloseTo(2 / 6, 15);
    expect(r.exact).toBe(true);
  });

  it('agrees with a brute-force CSCV on raw rows (Sharpe and mean)', () => {
    const cols = noise(7, 6 * 25, 11);
    for (const metric of ['sharpe', 'mean'] as const) {
      const fast = pboFromReturns(cols, { blocks: 6, metric });
      const slow = bruteForce(cols, 6, metric);
      expect(fast.n_splits).toBe(20);
      expect(fast.pbo).toBeCloseTo(slow.pbo, 15);
      expect(fast.prob_oos_loss).toBeCloseTo(slow.loss, 15);
    }
  });

  it('i.i.d. noise trials give PBO ≈ 0.5 (averaged over 24 seeded matrices)', () => {
    // One matrix's PBO is very noisy (splits share data; here it ranges 0.09–0.85), but for
    // noise the winner's out-of-sample rank is uniform, so the expected PBO is exactly 0.5.
    const values = Array.from({ length: 24 }, (_, k) => pboFromReturns(noise(20, 800, k + 1)).pbo);
    const avg = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(avg - 0.5)).toBeLessThan(0.1);
  });

  it('one column best in every block gives PBO = 0', () => {
    const cols = noise(30, 1600, 5, (j) => (j === 7 ? 0.02 : 0));
    const r = pboFromReturns(cols);
    expect(r.pbo).toBe(0);
    expect(r.prob_oos_loss).toBe(0);
    expect(r.most_selected[0]).toEqual({ trial: 7, share: 1 });
  });

  it('an in-sample winner that always loses out of sample gives PBO = 1 and a negative slope', () => {
    // Trial j gets a per-block offset with zero total, so its out-of-sample offset is minus its
    // in-sample offset: the in-sample ranking is exactly reversed out of sample.
    const s = 16;
    const rng = createRng(9);
    const offsets = Array.from({ length: 20 }, () => {
      const o = Array.from({ length: s }, () => rng.normal());
      const m = o.reduce((a, b) => a + b, 0) / s;
      return o.map((x) => (x - m) * 1e-3);
    });
    const common = noise(1, 1600, 3)[0];
    const cols = offsets.map((o) => Float64Array.from(common, (x, i) => x + o[Math.floor(i / 100)]));
    const mean = pboFromReturns(cols, { metric: 'mean' });
    expect(mean.pbo).toBe(1);
    expect(mean.slope as number).toBeLessThan(0);
    expect(pboFromReturns(cols).pbo).toBe(1);
  });

  it('breaks ties deterministically: identical trials rank at the middle, lowest index wins in sample', () => {
    const base = noise(1, 160, 4)[0];
    const r = pboFromReturns([base, base, base], { blocks: 4 });
    // All tied: rank = 1 + 0 + 2/2 = 2 = (N + 1)/2 ⇒ λ = 0 ⇒ not counted as overfit.
    expect(r.pbo).toBe(0);
    expect(r.logits.max).toBe(0);
    expect(r.most_selected).toEqual([{ trial: 0, share: 1 }]);
  });

  it('validates its input', () => {
    const b = blockMoments(noise(1, 64, 1)[0], 16);
    expect(() => pbo([b])).toThrow(/at least 2 trials/);
    expect(() => pbo([b, b.slice(0, 15)])).toThrow(/blocks/);
    expect(() => pbo([b.slice(0, 15), b.slice(0, 15)])).toThrow(/even/);
  });

  it('handles 500 trials × 16 blocks: all 12,870 splits (speed: npm run bench:components)', () => {
    const rng = createRng(1);
    const trials = Array.from({ length: 500 }, () =>
      Array.from({ length: 16 }, () => {
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < 50; i++) {
          const x = 0.01 * rng.normal();
          sum += x;
          sumSq += x * x;
        }
        return { n: 50, sum, sumSq };
      }),
    );
    const r = pbo(trials);
    expect(r.n_splits).toBe(12870);
    // pure noise: the in-sample winner is as likely as not to be below the OOS median
    expect(r.pbo).toBeGreaterThan(0.2);
    expect(r.pbo).toBeLessThan(0.8);
  });
});
