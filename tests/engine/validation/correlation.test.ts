import { describe, expect, it } from 'vitest';
import { averageCorrelationOfBlocks, averageCorrelationOfReturns } from '../../../src/engine/validation/correlation.js';
import { blockMoments } from '../../../src/engine/validation/moments.js';
import { createRng } from '../../../src/engine/random.js';

/** Mean of the pairwise Pearson correlations, computed pair by pair. */
function pairwise(cols: number[][]): number {
  const corr = (a: number[], b: number[]): number => {
    const ma = a.reduce((s, x) => s + x, 0) / a.length;
    const mb = b.reduce((s, x) => s + x, 0) / b.length;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  };
  let s = 0;
  let k = 0;
  for (let i = 0; i < cols.length; i++) for (let j = i + 1; j < cols.length; j++, k++) s += corr(cols[i], cols[j]);
  return s / k;
}

describe('average correlation of trials', () => {
  const rng = createRng(8);
  const common = Array.from({ length: 400 }, () => rng.normal());
  const cols = Array.from({ length: 6 }, (_, j) => common.map((c) => c * (j + 1) * 0.3 + rng.normal()));

  it('equals the mean of pairwise correlations (O(N·T) identity)', () => {
    const r = averageCorrelationOfReturns(cols);
    expect(r.rho as number).toBeCloseTo(pairwise(cols), 12);
    expect(r.used).toBe(6);
    expect(r.basis).toBe('returns');
  });
  it('is 1 for identical series and leaves constant series out', () => {
    const r = averageCorrelationOfReturns([cols[0], cols[0], cols[0], new Array(400).fill(0.01)]);
    expect(r.rho as number).toBeCloseTo(1, 12);
    expect(r.excluded).toBe(1);
  });
  it('from block moments: correlation of block means, labelled as an approximation', () => {
    const blocks = cols.map((c) => blockMoments(c, 16));
    const means = blocks.map((bs) => bs.map((b) => b.sum / b.n));
    const r = averageCorrelationOfBlocks(blocks);
    expect(r.rho as number).toBeCloseTo(pairwise(means), 12);
    expect(r.basis).toBe('block_means');
    expect(r.warnings.join()).toMatch(/approximation/);
  });
});
