import { describe, expect, it } from 'vitest';
import { selectionBias } from '../../../src/engine/validation/selection-bias.js';
import { deflatedSharpe, expectedMaxSharpe } from '../../../src/engine/validation/dsr.js';
import { psr } from '../../../src/engine/validation/sharpe-stats.js';

const SAMPLE = { sr: 2.5 / Math.sqrt(250), t: 1250, skew: -3, kurtosisRaw: 10 };

describe('selectionBias', () => {
  it('uses the no-skill V₀ = 1/(T − 1) with the nominal N; reports the cross-sectional V and the effective-N heuristic beside it', () => {
    const memberSharpes = [0.01, 0.05, -0.02, 0.08, 0.03, 0.0, 0.06, -0.04];
    const r = selectionBias({ sample: SAMPLE, n: 8, memberSharpes, avgCorrelation: 0.5 });
    expect(r.used).toBe('no_skill');
    expect(r.v).toBe(1 / 1249);
    expect(r.sr0).toBeCloseTo(expectedMaxSharpe(8, 1 / 1249), 15);
    expect(r.dsr).toBe(deflatedSharpe({ ...SAMPLE, nTrials: 8, srVariance: 1 / 1249 }).dsr);
    expect(r.no_skill.dsr).toBe(r.dsr);
    expect(r.cross_sectional?.v).toBeCloseTo(0.0016982142857142855, 15); // numpy var(ddof=1)
    expect(r.cross_sectional?.members).toBe(8);
    expect(r.cross_sectional?.dsr).toBe(deflatedSharpe({ ...SAMPLE, nTrials: 8, srVariance: r.cross_sectional!.v }).dsr);
    expect(r.effective?.n).toBe(4.5);
    expect(r.effective!.dsr).toBeGreaterThan(r.dsr);
  });
  it('real dispersion between configurations does not move the DSR that is used', () => {
    const calm = selectionBias({ sample: SAMPLE, n: 8, memberSharpes: [0.01, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.017] });
    const wide = selectionBias({ sample: SAMPLE, n: 8, memberSharpes: [-0.5, 0.5, -0.4, 0.4, 0.3, -0.3, 0.2, -0.2] });
    expect(wide.dsr).toBe(calm.dsr);
    expect(wide.cross_sectional!.dsr).toBeLessThan(calm.cross_sectional!.dsr);
  });
  it('N = 1 gives DSR = PSR(0); one member gives no cross-sectional V and says why', () => {
    const r = selectionBias({ sample: SAMPLE, n: 1, memberSharpes: [SAMPLE.sr] });
    expect(r.dsr).toBe(psr(SAMPLE));
    expect(r.cross_sectional).toBeNull();
    expect(r.effective).toBeNull();
    expect(r.t_stat).toBeCloseTo(SAMPLE.sr * Math.sqrt(1250), 12);
    const two = selectionBias({ sample: SAMPLE, n: 3, memberSharpes: [SAMPLE.sr] });
    expect(two.warnings.join()).toMatch(/1 member\(s\) with a Sharpe ratio/);
    expect(() => selectionBias({ sample: SAMPLE, n: 0, memberSharpes: [] })).toThrow(/n must be/);
  });
});
