import { describe, expect, it } from 'vitest';
import { DEFAULT_VERDICT_THRESHOLDS, verdict } from '../../../src/engine/analysis/verdict.js';

const GOOD = { trades: 120, dsr: { value: 0.97, n: 40 }, pbo: 0.1, psr: 0.99 };

describe('verdict', () => {
  it('promote-able when every check passes', () => {
    const v = verdict(GOOD);
    expect(v.verdict).toBe('promote-able');
    expect(v.reasons.every((r) => r.level === 'pass')).toBe(true);
  });
  it('caution at the documented caution thresholds, with machine-readable reasons', () => {
    const v = verdict({ ...GOOD, trades: 23, dsr: { value: 0.62, n: 340, nSource: 'ledger family' }, pbo: 0.48 });
    expect(v.verdict).toBe('caution');
    const byCode = Object.fromEntries(v.reasons.map((r) => [r.code, r]));
    expect(byCode.trades_caution).toMatchObject({ message: 'only 23 trades', value: 23, threshold: 30 });
    expect(byCode.dsr_caution).toMatchObject({ message: 'DSR 0.62 with N = 340 (ledger family)', value: 0.62, threshold: 0.95 });
    expect(byCode.pbo_caution).toMatchObject({ message: 'PBO 0.48', value: 0.48, threshold: 0.2 });
  });
  it('reject when trades < 10, DSR < 0.5 or PBO > 0.5', () => {
    expect(verdict({ ...GOOD, trades: 9 }).verdict).toBe('reject');
    expect(verdict({ ...GOOD, dsr: { value: 0.49, n: 10 } }).verdict).toBe('reject');
    expect(verdict({ ...GOOD, pbo: 0.51 }).verdict).toBe('reject');
    expect(verdict({ ...GOOD, pbo: 0.5 }).verdict).toBe('caution'); // boundary: not > 0.5
    expect(verdict({ ...GOOD, trades: 10 }).verdict).toBe('caution');
  });
  it('PBO above 0.5 only cautions when the in-sample best still wins out of sample in most splits (a shared edge)', () => {
    const shared = verdict({ ...GOOD, pbo: 0.55, pboOosLoss: 0.03 });
    expect(shared.verdict).toBe('caution');
    const r = shared.reasons.find((x) => x.code.startsWith('pbo_'))!;
    expect(r).toMatchObject({ code: 'pbo_caution', level: 'caution', value: 0.55, threshold: 0.2 });
    expect(r.message).toMatch(/stays profitable there in 97 % of splits/);
    expect(verdict({ ...GOOD, pbo: 0.55, pboOosLoss: 0.5 }).verdict).toBe('caution');
    expect(verdict({ ...GOOD, pbo: 0.55, pboOosLoss: 0.51 }).verdict).toBe('reject');
    expect(verdict({ ...GOOD, pbo: 0.55, pboOosLoss: null }).verdict).toBe('reject');
  });
  it('PSR and WFE only caution; missing evidence cautions unless disabled', () => {
    expect(verdict({ ...GOOD, psr: 0.9 }).verdict).toBe('caution');
    expect(verdict({ ...GOOD, wfe: 0.3 }).verdict).toBe('caution');
    expect(verdict({ ...GOOD, wfe: 0.8 }).verdict).toBe('promote-able');
    const missing = verdict({ trades: 100, psr: 0.99 });
    expect(missing.verdict).toBe('caution');
    expect(missing.reasons.map((r) => r.code)).toEqual(['trades_ok', 'dsr_missing', 'pbo_missing', 'psr_ok']);
    expect(missing.reasons[1].message).toBe('DSR not available');
    expect(verdict({ trades: 100, psr: 0.99 }, { missingIsCaution: false }).verdict).toBe('promote-able');
  });
  it('thresholds are parameters with documented defaults', () => {
    expect(DEFAULT_VERDICT_THRESHOLDS).toMatchObject({ rejectMinTrades: 10, cautionMinTrades: 30, rejectMinDsr: 0.5, cautionMinDsr: 0.95, rejectMaxPbo: 0.5, cautionMaxPbo: 0.2, cautionMinPsr: 0.95 });
    const v = verdict({ ...GOOD, trades: 40 }, { cautionMinTrades: 50 });
    expect(v.verdict).toBe('caution');
    expect(v.thresholds.cautionMinTrades).toBe(50);
  });
});
