/**
 * Each promotion gate passing and failing, through `promote` dry runs on crafted evidence
 * (the incumbent is always re-run by the engine).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { backtest } from '../../../src/research/backtest.js';
import { promote, type GateResult, type PromoteResult } from '../../../src/research/champions/index.js';
import { closeApp } from '../../../src/research/app.js';
import { datasetCandles, resolveRange, selectRange } from '../../../src/research/datasets.js';
import { familyKey, recordLedger } from '../../../src/research/ledger.js';
import { blockPattern, craftedBacktest, craftedOptimize, craftedWalkForward, fixture, FLAT_PARAMS, IS_END, type Fixture, removeTempDirs } from '../../helpers/champions.js';

let f: Fixture;
afterEach(() => closeApp(f.app));

const gate = (r: PromoteResult, name: string): GateResult => r.gate_report.gates.find((g) => g.gate === name)!;
const GOOD = { mu: 0.003, sigma: 0.01, seed: 1 };

/** An in-sample backtest run by the engine (stored, in the ledger) as the candidate. */
function inSample(params: Record<string, unknown>): string {
  return backtest(f.app, { strategy: 'sma_cross', params: { ...params, direction: 'long_only' }, dataset_id: f.ds.id, to: IS_END }).run_id!;
}

/** Promotes a first champion with the given params (crafted good holdout). */
function promoteIncumbent(params: Record<string, unknown>): void {
  const run = inSample(params);
  craftedBacktest(f, { params, from: IS_END, returns: { ...GOOD, seed: 99 }, trades: 40 });
  const dry = promote(f.app, { candidate: { run_id: run } });
  expect(dry.promotable).toBe(true);
  promote(f.app, { candidate: { run_id: run }, dry_run: false, confirm_token: dry.confirm_token!, reason: 'first champion' });
}

describe('oos_evidence and min_oos_trades', () => {
  it('fail without out-of-sample evidence; DSR then falls back to the in-sample run; no token', () => {
    f = fixture();
    const r = promote(f.app, { candidate: { run_id: inSample({ fast: 10, slow: 30 }) } });
    expect(gate(r, 'oos_evidence').status).toBe('fail');
    expect(gate(r, 'oos_evidence').detail).toMatch(/no out-of-sample evidence.*evidence_run_id/);
    expect(gate(r, 'min_oos_trades')).toMatchObject({ status: 'fail', value: 0, threshold: 30 });
    expect(gate(r, 'min_dsr').data?.data).toBe('in_sample');
    expect(gate(r, 'max_pbo').status).toBe('not_applicable');
    expect(gate(r, 'beats_incumbent')).toMatchObject({ status: 'pass' });
    expect(gate(r, 'beats_incumbent').detail).toMatch(/no incumbent: passes trivially/);
    expect(r.promotable).toBe(false);
    expect(r.gate_report.blocking).toEqual(expect.arrayContaining(['oos_evidence', 'min_oos_trades']));
    expect(r.confirm_token).toBeNull();
  });

  it('pass with a holdout backtest of the same params after the in-sample range, found automatically or given', () => {
    f = fixture();
    const cand = inSample({ fast: 10, slow: 30 });
    craftedBacktest(f, { params: { fast: 12, slow: 30 }, from: IS_END, returns: GOOD, trades: 40 }); // other params: ignored
    const hold = craftedBacktest(f, { params: { fast: 10, slow: 30 }, from: IS_END, returns: GOOD, trades: 40 });
    const r = promote(f.app, { candidate: { run_id: cand } });
    expect(gate(r, 'oos_evidence')).toMatchObject({ status: 'pass', data: { run_id: hold, kind: 'holdout_backtest', found: 'search' } });
    expect(gate(r, 'min_oos_trades')).toMatchObject({ status: 'pass', value: 40 });
    expect(gate(r, 'min_dsr').data?.data).toBe('out_of_sample');
    expect(r.promotable).toBe(true);
    expect(r.confirm_token).toMatch(/^ct1\./);
    const given = promote(f.app, { candidate: { run_id: cand }, evidence_run_id: hold });
    expect(gate(given, 'oos_evidence').data?.found).toBe('given');
    // a holdout run by the engine itself (stored equity, no bar times) qualifies too
    const real = backtest(f.app, { strategy: 'sma_cross', params: { fast: 10, slow: 30, direction: 'long_only' }, dataset_id: f.ds.id, from: IS_END });
    const viaEngine = promote(f.app, { candidate: { run_id: cand }, evidence_run_id: real.run_id! });
    expect(gate(viaEngine, 'oos_evidence').status).toBe('pass');
    expect(gate(viaEngine, 'min_oos_trades').value).toBe(real.result.trades.length);
  });

  it('refuses given evidence that overlaps the in-sample range or has other params, naming why', () => {
    f = fixture();
    const cand = inSample({ fast: 10, slow: 30 });
    const overlap = craftedBacktest(f, { params: { fast: 10, slow: 30 }, from: '2020-06-01', returns: GOOD, trades: 40 });
    expect(() => promote(f.app, { candidate: { run_id: cand }, evidence_run_id: overlap })).toThrow(/not out-of-sample evidence.*not after the candidate's in-sample range/);
    const other = craftedBacktest(f, { params: { fast: 11, slow: 30 }, from: IS_END, returns: GOOD, trades: 40 });
    expect(() => promote(f.app, { candidate: { run_id: cand }, evidence_run_id: other })).toThrow(/params are not the candidate's/);
    expect(() => promote(f.app, { candidate: { run_id: cand }, evidence_run_id: 'bt_nope' })).toThrow(/no run with id/);
  });

  it('min_oos_trades fails below the threshold; a per-call gate_override changes the threshold', () => {
    f = fixture();
    const cand = inSample({ fast: 10, slow: 30 });
    craftedBacktest(f, { params: { fast: 10, slow: 30 }, from: IS_END, returns: GOOD, trades: 5 });
    const r = promote(f.app, { candidate: { run_id: cand } });
    expect(gate(r, 'min_oos_trades')).toMatchObject({ status: 'fail', value: 5, threshold: 30 });
    expect(r.gate_report.blocking).toEqual(['min_oos_trades']);
    const lowered = promote(f.app, { candidate: { run_id: cand }, gate_overrides: { min_oos_trades: 5 } });
    expect(gate(lowered, 'min_oos_trades')).toMatchObject({ status: 'pass', threshold: 5 });
    expect(lowered.gate_report.thresholds.min_oos_trades).toBe(5);
    expect(lowered.promotable).toBe(true);
  });
});

describe('min_dsr', () => {
  it('passes on a strong OOS edge and fails on a weak one', () => {
    f = fixture();
    const strong = inSample({ fast: 10, slow: 30 });
    craftedBacktest(f, { params: { fast: 10, slow: 30 }, from: IS_END, returns: GOOD, trades: 40 });
    const s = gate(promote(f.app, { candidate: { run_id: strong } }), 'min_dsr');
    expect(s.status).toBe('pass');
    expect(s.value!).toBeGreaterThan(0.99);
    const weak = inSample({ fast: 15, slow: 30 });
    craftedBacktest(f, { params: { fast: 15, slow: 30 }, from: IS_END, returns: { mu: 0.0002, sigma: 0.01, seed: 3 }, trades: 40 });
    const w = gate(promote(f.app, { candidate: { run_id: weak } }), 'min_dsr');
    expect(w.status).toBe('fail');
    expect(w.value!).toBeLessThan(0.95);
  });

  it('deflates a holdout for the configurations evaluated on its bars, not for the in-sample search', () => {
    f = fixture();
    const cand = inSample({ fast: 10, slow: 30 });
    craftedBacktest(f, { params: { fast: 10, slow: 30 }, from: IS_END, returns: { mu: 0.0012, sigma: 0.01, seed: 5 }, trades: 40 });
    const alone = gate(promote(f.app, { candidate: { run_id: cand } }), 'min_dsr');
    expect(alone.data).toMatchObject({ evidence: 'holdout', n: 1, used: 'no_skill' });
    expect(alone.value).toBeCloseTo(alone.data!.psr0 as number, 12); // N = 1: DSR = PSR(0)
    const record = (range: { to?: string; from?: string }, k: number): void => {
      const candles = selectRange(datasetCandles(f.app, f.ds), resolveRange(range), f.ds);
      recordLedger(f.app, {
        key: familyKey('sma_cross', f.ds.content_hash, candles),
        source_kind: 'backtest',
        source_id: `tried-${range.to ?? range.from}-${k}`,
        params: { fast: 2 + k, slow: 100 },
        stats: { n_periods: 1000, periods_per_year: 365, sharpe: ((k % 12) - 6) * 0.01, skew: 0, kurtosis_raw: 3, blocks: [] },
      });
    };
    // 60 configurations tried in sample: the holdout's bars were not searched, its DSR is unchanged
    for (let k = 0; k < 60; k++) record({ to: IS_END }, k);
    const afterSearch = gate(promote(f.app, { candidate: { run_id: cand } }), 'min_dsr');
    expect(afterSearch.value).toBe(alone.value);
    // 60 configurations tried on the holdout's bars: that is a selection among holdouts
    for (let k = 0; k < 60; k++) record({ from: IS_END }, k);
    const many = gate(promote(f.app, { candidate: { run_id: cand } }), 'min_dsr');
    expect(many.data).toMatchObject({ n: 61, evidence: 'holdout' });
    expect(many.value!).toBeLessThan(alone.value! - 0.01);
    expect(many.detail).toMatch(/N = 61 \(holdout evidence; no-skill V₀\): 61 distinct configuration/);
  });

  it('recomputes a walk-forward curve\'s DSR for the out-of-sample evaluations on its bars (never trusts the summary)', () => {
    f = fixture();
    const ok = craftedWalkForward(f, { final_params: { fast: 10, slow: 30 }, from: IS_END, returns: GOOD, trades: 45, dsr: 0.2, n_trials: 120 });
    const r = promote(f.app, { candidate: { run_id: ok } });
    expect(gate(r, 'oos_evidence').data).toMatchObject({ run_id: ok, kind: 'walk_forward', found: 'candidate' });
    const g = gate(r, 'min_dsr');
    expect(g).toMatchObject({ status: 'pass', data: { evidence: 'walk_forward_oos', n: 1 } });
    expect(g.value!).toBeGreaterThan(0.99);
    expect(gate(r, 'max_pbo').status).toBe('not_applicable');
    expect(r.promotable).toBe(true);
    // optimisation trials on the same bars are not what the curve was selected from: N stays 1
    const oosBars = selectRange(datasetCandles(f.app, f.ds), resolveRange({ from: IS_END }), f.ds);
    for (let k = 0; k < 30; k++) {
      const stats = { n_periods: 1000, periods_per_year: 365, sharpe: 0.01 * k, skew: 0, kurtosis_raw: 3, blocks: [] };
      recordLedger(f.app, { key: familyKey('sma_cross', f.ds.content_hash, oosBars), source_kind: 'trial', source_id: `opt_x#${k}`, params: { fast: 3 + k, slow: 50 }, stats });
    }
    expect(gate(promote(f.app, { candidate: { run_id: ok } }), 'min_dsr').data).toMatchObject({ n: 1 });
    // another walk-forward spec on overlapping bars is: N = 2
    craftedWalkForward(f, { final_params: { fast: 12, slow: 30 }, from: IS_END, returns: { mu: 0, sigma: 0.01, seed: 9 }, trades: 45 });
    const two = gate(promote(f.app, { candidate: { run_id: ok } }), 'min_dsr');
    expect(two.data).toMatchObject({ n: 2 });
    expect(two.value!).toBeLessThan(g.value!);
    const weak = craftedWalkForward(f, { final_params: { fast: 11, slow: 30 }, from: IS_END, returns: { mu: 0.0001, sigma: 0.01, seed: 3 }, trades: 45, dsr: 0.99 });
    expect(gate(promote(f.app, { candidate: { run_id: weak } }), 'min_dsr').status).toBe('fail');
  });
});

describe('max_pbo and validated optimisation trials', () => {
  const trial = (number: number, good: number[], seed: number, params: Record<string, unknown>) => ({ number, params, returns: blockPattern(1097, new Set(good), seed) });
  const ALL = Array.from({ length: 16 }, (_, i) => i);

  it('passes when the chosen trial is best in every block (PBO 0), with the validated holdout as evidence', () => {
    f = fixture();
    const hold = craftedBacktest(f, { params: { fast: 8, slow: 40 }, from: IS_END, returns: GOOD, trades: 40 });
    const opt = craftedOptimize(f, {
      trials: [trial(0, [], 1, { fast: 5, slow: 20 }), trial(1, [3], 2, { fast: 6, slow: 20 }), trial(3, ALL, 3, { fast: 8, slow: 40 })],
      best: 3,
      validated: [{ number: 3, passed: true, holdout_run_id: hold }],
    });
    // the crafted trials' Sharpe ratios are far apart (V large), so the DSR deflates hard: isolate PBO
    const r = promote(f.app, { candidate: { run_id: opt, trial: 3 }, gate_overrides: { min_dsr: 0 } });
    expect(gate(r, 'max_pbo')).toMatchObject({ status: 'pass', value: 0 });
    expect(gate(r, 'max_pbo').data).toMatchObject({ n_trials: 3, n_splits: 12870 });
    expect(gate(r, 'oos_evidence').data).toMatchObject({ run_id: hold, found: 'validated_holdout' });
    expect(r.candidate.params).toMatchObject({ fast: 8, slow: 40, direction: 'long_only' });
    expect(r.gate_report.blocking).toEqual([]);
    expect(r.promotable).toBe(true);
  });

  it('fails when the in-sample winner is the out-of-sample loser (complementary block patterns)', () => {
    f = fixture();
    const hold = craftedBacktest(f, { params: { fast: 8, slow: 40 }, from: IS_END, returns: GOOD, trades: 40 });
    const a = [0, 2, 4, 6, 8, 10, 12, 14];
    const b = [1, 3, 5, 7, 9, 11, 13, 15];
    const opt = craftedOptimize(f, { trials: [trial(3, a, 3, { fast: 8, slow: 40 }), trial(4, b, 4, { fast: 9, slow: 40 })], best: 3, validated: [{ number: 3, passed: true, holdout_run_id: hold }] });
    const r = promote(f.app, { candidate: { run_id: opt, trial: 3 } });
    const g = gate(r, 'max_pbo');
    expect(g.status).toBe('fail');
    expect(g.value!).toBeGreaterThan(0.5);
    expect(r.gate_report.blocking).toEqual(['max_pbo']);
  });

  it('offers only validated trials that passed, naming them; without a validation block any trial may be a candidate', () => {
    f = fixture();
    const hold = craftedBacktest(f, { params: { fast: 8, slow: 40 }, from: IS_END, returns: GOOD, trades: 40 });
    const trials = [trial(3, ALL, 3, { fast: 8, slow: 40 }), trial(4, [1], 4, { fast: 9, slow: 40 }), trial(7, [2], 7, { fast: 9, slow: 50 })];
    const opt = craftedOptimize(f, { trials, best: 3, validated: [{ number: 3, passed: true, holdout_run_id: hold }, { number: 4, passed: false, holdout_run_id: null }] });
    expect(() => promote(f.app, { candidate: { run_id: opt, trial: 4 } })).toThrow(/failed validation.*validated trials that passed: 3/);
    expect(() => promote(f.app, { candidate: { run_id: opt, trial: 7 } })).toThrow(/not among the validated top trials.*passed: 3/);
    expect(() => promote(f.app, { candidate: { run_id: opt } })).toThrow(/needs a trial number.*3/);
    const free = craftedOptimize(f, { trials, best: 3 });
    const r = promote(f.app, { candidate: { run_id: free, trial: 7 } });
    expect(r.candidate.params).toMatchObject({ fast: 9, slow: 50 });
    expect(gate(r, 'oos_evidence').status).toBe('fail'); // no holdout with these params exists
  });
});

describe('beats_incumbent', () => {
  it('passes when the candidate beats the incumbent re-run on the same OOS days, and fails when it does not', () => {
    f = fixture();
    promoteIncumbent(FLAT_PARAMS); // never trades: flat equity on any window
    const better = inSample({ fast: 10, slow: 30 });
    craftedBacktest(f, { params: { fast: 10, slow: 30 }, from: IS_END, returns: GOOD, trades: 40 });
    const up = gate(promote(f.app, { candidate: { run_id: better } }), 'beats_incumbent');
    expect(up.status).toBe('pass');
    expect(up.value!).toBeLessThan(0.001);
    expect(up.data).toMatchObject({ incumbent_version: 1, data: 'out_of_sample', incumbent_return_pct: 0, resamples: 10_000, seed: 42 });
    const worse = inSample({ fast: 12, slow: 30 });
    craftedBacktest(f, { params: { fast: 12, slow: 30 }, from: IS_END, returns: { mu: -0.001, sigma: 0.01, seed: 8 }, trades: 40 });
    const down = promote(f.app, { candidate: { run_id: worse }, gate_overrides: { min_dsr: 0 } });
    expect(gate(down, 'beats_incumbent').status).toBe('fail');
    expect(gate(down, 'beats_incumbent').value!).toBeGreaterThan(0.5);
    expect(down.gate_report.blocking).toEqual(['beats_incumbent']);
    expect(down.diff.incumbent_version).toBe(1);
    expect(down.diff.params_changed.map((c) => c.param)).toEqual(['fast', 'slow']);
  });

  it('re-runs a trading incumbent with the engine on exactly the evidence bars (its return equals a fresh backtest there)', () => {
    f = fixture();
    const incParams = { fast: 10, slow: 30 };
    promoteIncumbent(incParams);
    const cand = inSample({ fast: 5, slow: 50 });
    craftedBacktest(f, { params: { fast: 5, slow: 50 }, from: IS_END, returns: GOOD, trades: 40 });
    const g = gate(promote(f.app, { candidate: { run_id: cand } }), 'beats_incumbent');
    const fresh = backtest(f.app, { strategy: 'sma_cross', params: { ...incParams, direction: 'long_only' }, dataset_id: f.ds.id, from: IS_END, store: false });
    expect(fresh.result.trades.length).toBeGreaterThan(0);
    expect(g.data!.incumbent_return_pct as number).toBeCloseTo(fresh.result.metrics.return_pct as number, 8);
    expect(g.data!.incumbent_return_pct).not.toBe(0);
    // deterministic: the same store gives the same p-value
    expect(gate(promote(f.app, { candidate: { run_id: cand } }), 'beats_incumbent').value).toBe(g.value);
  });
});

afterAll(removeTempDirs);
