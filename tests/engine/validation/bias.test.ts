/**
 * The bias checks catch deliberately biased strategies at the right bar, and report the
 * decisions that changed; options are validated; the same seed gives the same report.
 */
import { describe, expect, it } from 'vitest';
import { sliceBars } from '../../../src/engine/data/candles.js';
import { checkBias } from '../../../src/engine/validation/bias.js';
import { randomWalk } from '../strategies/helpers.js';
import { PARTIAL_WINDOW, globalMean, partialMean, partialWindow, peekConfidence, peekNextClose } from './biased-strategies.js';

const candles = randomWalk(20240611, 600);

describe('look-ahead check', () => {
  it('catches a strategy that reads close[t+1], at the cut bar itself, in every run', () => {
    const r = checkBias(peekNextClose, candles, {});
    expect(r.verdict).toBe('lookahead');
    expect(r.lookahead.status).toBe('failed');
    expect(r.lookahead.cuts.length).toBe(8);
    // a one-bar peek changes nothing before the cut: each finding is at its cut
    for (const f of r.lookahead.findings) expect(f.bar).toBe(f.cut);
    // truncation hides close[cut+1], so every cut is caught at least by the prefix run
    const caught = new Set(r.lookahead.findings.map((f) => f.cut));
    expect([...caught]).toEqual(r.lookahead.cuts);
    const truncated = r.lookahead.findings.filter((f) => f.run === 'truncated');
    expect(truncated.length).toBe(r.lookahead.cuts.length);
    // the mirror flips the sign of the next move: caught at every cut where the next close moved
    const mirrored = r.lookahead.findings.filter((f) => f.run === 'mirrored');
    expect(mirrored.length).toBe(r.lookahead.cuts.filter((c) => candles.close[c + 1] !== candles.close[c]).length);
    const first = r.lookahead.first!;
    expect(first.bar).toBe(r.lookahead.cuts[0]);
    // the reported values are the decisions on the full series and in the altered run
    const c = first.cut;
    const up = candles.close[c + 1] > candles.close[c];
    if (first.output === 'entry') {
      expect(first.reference).toBe(up ? 1 : 0);
      expect(first.rule).toBe('long_entry');
    } else {
      expect(first.output).toBe('exit');
      expect(first.rule).toBe('long_exit');
      expect(first.reference).toBe(up ? 0 : 1);
    }
    expect(first.observed).not.toBe(first.reference);
  });

  it('catches a strategy normalised by the whole series at its first decision bar', () => {
    const r = checkBias(globalMean, candles, {});
    expect(r.lookahead.status).toBe('failed');
    // the mean moves with any change after the cut, so bars well before the cut change too;
    // oracle for the prefix runs: the first bar whose side of the mean differs
    expect(r.lookahead.first!.bar).toBeLessThan(r.lookahead.first!.cut);
    const mean = (xs: Float64Array): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const truncated = r.lookahead.findings.filter((f) => f.run === 'truncated');
    expect(truncated.length).toBeGreaterThan(0);
    for (const f of truncated) {
      const a = mean(candles.close);
      const b = mean(candles.close.subarray(0, f.cut + 1));
      let expected = -1;
      // bar 0 is the warm-up bar (signals.warmup 0): the simulator acts from bar 1
      for (let t = 1; t <= f.cut && expected < 0; t++) if (Math.sign(candles.close[t] - a) !== Math.sign(candles.close[t] - b)) expected = t;
      expect(f.bar).toBe(expected);
    }
  });

  it('catches look-ahead in the confidence output alone', () => {
    const r = checkBias(peekConfidence, candles, {});
    expect(r.verdict).toBe('lookahead');
    expect(r.lookahead.first!.output).toBe('confidence');
    expect(r.lookahead.first!.rule).toBe('confidence');
    expect(r.lookahead.first!.bar).toBe(r.lookahead.first!.cut);
  });
});

describe('warm-up check', () => {
  it('catches a partial-window mean declared without warm-up, at the first bar that differs, and measures the warm-up it needs', () => {
    const r = checkBias(partialWindow, candles, {}, { tolerance: 0 });
    expect(r.lookahead.status).toBe('passed');
    expect(r.verdict).toBe('warmup_unstable');
    expect(r.warmup.declared).toBe(0);
    expect(r.warmup.needed).toBeGreaterThan(0);
    expect(r.warmup.needed).toBeLessThanOrEqual(PARTIAL_WINDOW - 2);
    // oracle: for each start, the first bar after the start (local bar >= 1) where the side of
    // close vs the mean of the later-started series differs from the full series'
    const side = (x: number, m: number): number => (x > m ? 1 : x < m ? -1 : 0);
    const expected = r.warmup.starts
      .map((k) => {
        const part = candles.close.subarray(k);
        for (let j = 1; j < PARTIAL_WINDOW; j++) {
          if (side(part[j], partialMean(part, j)) !== side(candles.close[k + j], partialMean(candles.close, k + j))) return k + j;
        }
        return -1;
      })
      .filter((b) => b >= 0);
    expect(expected.length).toBeGreaterThan(0);
    expect(r.warmup.findings.map((f) => f.bar).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(r.warmup.first!.bar).toBe(Math.min(...expected));
    expect(['entry', 'exit']).toContain(r.warmup.first!.output);
    // near-ties aside (none here), the default tolerance finds the same
    const byDefault = checkBias(partialWindow, candles, {});
    expect(byDefault.warmup.near_ties).toBe(0);
    expect(byDefault.warmup.findings).toEqual(r.warmup.findings);
    // with the warm-up it reported, the same starts agree
    const again = checkBias(partialWindow, candles, {}, { tolerance: 0, warmup: r.warmup.needed });
    expect(again.warmup.status).toBe('passed');
    expect(again.verdict).toBe('ok');
  });

  it('a strategy whose decisions do not depend on the start passes at any start', () => {
    const r = checkBias(partialWindow, candles, {}, { warmup: PARTIAL_WINDOW - 1, starts: 12 });
    expect(r.warmup.status).toBe('passed');
    expect(r.warmup.findings).toEqual([]);
  });
});

describe('report and options', () => {
  it('the same seed gives the same report; another seed other cuts', () => {
    const a = checkBias(peekNextClose, candles, {}, { seed: 5 });
    expect(checkBias(peekNextClose, candles, {}, { seed: 5 })).toEqual(a);
    expect(checkBias(peekNextClose, candles, {}, { seed: 6 }).lookahead.cuts).not.toEqual(a.lookahead.cuts);
  });

  it('both problems at once', () => {
    const both = { ...peekNextClose, warmup: () => 0, signals: (c: typeof candles, p: Record<string, never>) => {
      const a = peekNextClose.signals(c, p, {});
      const b = partialWindow.signals(c, p, {});
      return { ...a, exit: b.exit };
    } };
    expect(checkBias(both, candles, {}, { tolerance: 0 }).verdict).toBe('lookahead_and_warmup_unstable');
  });

  it('too few bars: inconclusive, with a note', () => {
    const r = checkBias(partialWindow, sliceBars(candles, 0, 2), {});
    expect(r.verdict).toBe('inconclusive');
    expect(r.notes.join(' ')).toMatch(/not checked/);
  });

  it('rejects bad options', () => {
    expect(() => checkBias(partialWindow, candles, {}, { cuts: -1 })).toThrow(/cuts/);
    expect(() => checkBias(partialWindow, candles, {}, { tolerance: NaN })).toThrow(/tolerance/);
    expect(() => checkBias(partialWindow, candles, {}, { warmup: 1.5 })).toThrow(/warmup/);
    // undefined takes the default
    expect(checkBias(partialWindow, candles, {}, { cuts: undefined, tolerance: undefined }).tolerance).toBe(1e-9);
  });
});
