/**
 * The calibration suite's direction on a few seeds (issue 10, item 3); the rates come from
 * `npm run bench:calibration` over many seeds. Runs the real path: optimize → walk_forward →
 * analyze_results → champion_promote (dry run), through an MCP client.
 */
import { describe, expect, it } from 'vitest';
import { assertValidCandles } from '../../src/engine/data/validate.js';
import { calibrationSeries, SERIES_KINDS } from '../../bench/calibration/series.js';
import { detected, falsePositive, runCase, strongEdge } from '../../bench/calibration/pipeline.js';

describe('calibration series', () => {
  it('every kind is valid OHLC, seeded (same seed, same bars; another seed, other bars)', () => {
    for (const kind of SERIES_KINDS) {
      const a = calibrationSeries({ kind, seed: 3, bars: 2000 });
      expect(() => assertValidCandles(a)).not.toThrow();
      expect(calibrationSeries({ kind, seed: 3, bars: 2000 }).close).toEqual(a.close);
      expect(calibrationSeries({ kind, seed: 4, bars: 2000 }).close).not.toEqual(a.close);
    }
  });
});

describe('verdicts and gates on seeded series', () => {
  it('strong planted edges (a reversion component, trend regimes) pass the DSR gate out of sample and are not rejected', async () => {
    for (const kind of ['mean_revert', 'trend_regime'] as const) {
      const r = await runCase({ kind, seed: 7, strength: 0.8 }, { optimizeTrials: 30, windowTrials: 15 });
      expect(strongEdge(r), JSON.stringify(r.oos)).toBe(true);
      expect(r.oos.n).toBe(1); // the walk-forward is the only out-of-sample evaluation on its bars
      expect(detected(r), JSON.stringify(r.oos)).toBe(true);
      expect(r.oos.promotable).toBe(true);
      expect(r.in_sample.verdict).not.toBe('reject');
    }
  }, 120_000);

  it('noise: the in-sample best is deflated for the whole study, and walk-forwards rarely pass the gate', async () => {
    const cases = [];
    for (const [kind, seed] of [['gauss_noise', 11], ['gauss_noise', 12], ['fat_noise', 13], ['fat_noise', 14], ['gauss_noise', 15], ['fat_noise', 16]] as const) {
      cases.push(await runCase({ kind, seed }, { optimizeTrials: 30, windowTrials: 15 }));
    }
    for (const r of cases) {
      expect(r.in_sample.n!).toBeGreaterThan(20); // every distinct trial of the study
      expect(r.in_sample.dsr!).toBeLessThan(0.95);
      expect(r.in_sample.verdict).not.toBe('promote-able');
    }
    // a 5 % test: at most one false positive among six seeds
    expect(cases.filter(falsePositive).length).toBeLessThanOrEqual(1);
  }, 180_000);
});
