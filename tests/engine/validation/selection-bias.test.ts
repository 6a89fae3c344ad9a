import { describe, expect, it } from 'vitest';
import { selectionBias } from '../../../src/engine/validation/selection-bias.js';
import { deflatedSharpe } from '../../../src/engine/validation/dsr.js';
import { psr } from '../../../src/engine/validation/sharpe-stats.js';

const SAMPLE = { sr: 2.5 / Math.sqrt(250), t: 1250, skew: -3, kurtosisRaw: 10 };

describe('selectionBias', () => {
  it('nominal N and V come from the ledger family; effective N from ρ̄ deflates less', () => {
    const trialSharpes = [0.01, 0.05, -0.02, 0.08, 0.03, 0.0, 0.06, -0.04];
    const r = selectionBias({ sample: SAMPLE, trialSharpes, avgCorrelation: 0.5 });
    expect(r.n_nominal).toBe(8);
    expect(r.n_effective).toBe(4.5);
    expect(r.sr_variance).toBeCloseTo(0.0016982142857142855, 15); // numpy var(ddof=1)
    expect(r.dsr_nominal.dsr).toBe(deflatedSharpe({ ...SAMPLE, nTrials: 8, srVariance: r.sr_variance }).dsr);
    expect((r.dsr_effective as { dsr: number }).dsr).toBeGreaterThan(r.dsr_nominal.dsr);
    expect(r.used).toBe('nominal');
    expect(r.dsr).toBe(r.dsr_nominal.dsr);
    expect(selectionBias({ sample: SAMPLE, trialSharpes, avgCorrelation: 0.5, use: 'effective' }).dsr).toBe(r.dsr_effective?.dsr);
  });
  it('a single trial gives DSR = PSR(0) and says why', () => {
    const r = selectionBias({ sample: SAMPLE, trialSharpes: [SAMPLE.sr] });
    expect(r.dsr).toBe(psr(SAMPLE));
    expect(r.n_effective).toBeNull();
    expect(r.warnings.join()).toMatch(/fewer than 2 trials/);
    expect(r.t_stat).toBeCloseTo(SAMPLE.sr * Math.sqrt(1250), 12);
  });
});
