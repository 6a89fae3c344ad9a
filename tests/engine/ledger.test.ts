/**
 * The trial ledger's return series (issue 10, item 4): a configuration that goes bankrupt
 * keeps the calendar of its range (zero returns after ruin, not fewer days), so PBO's blocks
 * and the trials' correlations stay aligned with the others'.
 */
import { describe, expect, it } from 'vitest';
import { alignedForPbo, dailyReturns, ledgerStats, LEDGER_BLOCKS } from '../../src/engine/ledger.js';
import { blockMoments } from '../../src/engine/validation/moments.js';
import { pbo } from '../../src/engine/validation/pbo.js';

const DAY = 86_400_000;
const days = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * DAY);

function curve(n: number, seed: number, ruinAt = -1): Float64Array {
  const eq = new Float64Array(n);
  let e = 10_000;
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    e *= 1 + (s / 2 ** 31 - 0.5) * 0.04;
    eq[i] = ruinAt >= 0 && i >= ruinAt ? 0 : e;
  }
  return eq;
}

describe('dailyReturns after ruin', () => {
  it('returns −100 % on the day of ruin and 0 on every later day: same length as a healthy curve', () => {
    const t = days(300);
    const healthy = dailyReturns(t, curve(300, 1));
    const ruined = dailyReturns(t, curve(300, 2, 120));
    expect(ruined.length).toBe(healthy.length);
    expect(ruined[119]).toBe(-1); // day 119 → day 120, when the equity hit 0
    expect(Array.from(ruined.subarray(120)).every((r) => r === 0)).toBe(true);
    expect(Array.from(ruined).every(Number.isFinite)).toBe(true);
  });

  it('a curve that stopped at a negative equity also earns 0 afterwards', () => {
    const eq = Float64Array.from([100, 110, -5, -5, -5]);
    expect(Array.from(dailyReturns(days(5), eq))).toEqual([0.10000000000000009, -1.0454545454545454, 0, 0]);
  });

  it('keeps every trial of one range on one calendar, so PBO sees aligned blocks', () => {
    const t = days(400);
    const trials = [curve(400, 3), curve(400, 4, 150), curve(400, 5), curve(400, 6, 300), curve(400, 7)];
    const stats = trials.map((e) => ledgerStats(t, e));
    for (const s of stats) {
      expect(s.n_periods).toBe(399);
      expect(s.blocks).toHaveLength(LEDGER_BLOCKS);
      expect(s.blocks.map((b) => b.n)).toEqual(stats[0].blocks.map((b) => b.n));
    }
    // PBO from the ledger's blocks equals PBO from the aligned daily returns' blocks
    const fromReturns = pbo(trials.map((e) => blockMoments(dailyReturns(t, e), LEDGER_BLOCKS)));
    expect(pbo(stats.map((s) => s.blocks)).pbo).toBe(fromReturns.pbo);
  });
});

describe('alignedForPbo', () => {
  it('keeps the configurations on the common calendar and counts the others (entries recorded with dropped days)', () => {
    const t = days(400);
    const a = { id: 'a', blocks: ledgerStats(t, curve(400, 3)).blocks };
    const b = { id: 'b', blocks: ledgerStats(t, curve(400, 4, 150)).blocks };
    const c = { id: 'c', blocks: ledgerStats(t, curve(400, 5)).blocks };
    // an old-style entry: the days after ruin dropped, so its blocks hold fewer days each
    const old = { id: 'old', blocks: blockMoments(dailyReturns(t, curve(400, 6)).subarray(0, 250), LEDGER_BLOCKS) };
    const short = { id: 'short', blocks: [] };
    const r = alignedForPbo([a, old, b, short, c]);
    expect(r.aligned.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(r.misaligned).toBe(1);
  });
});
