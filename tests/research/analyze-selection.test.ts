/**
 * analyze_results through the in-process MCP client, selection bias from the trial ledger:
 * the DSR's N counts distinct configurations on overlapping bars across separate calls (with
 * SR₀ checked against the paper constant E[max of 2] = 0.5198, STATISTICS.md), and PBO is
 * computed for an optimize run (faked by writing its trials into the ledger) and only then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { dailyReturns, ledgerStats } from '../../src/engine/ledger.js';
import { getStrategy } from '../../src/engine/strategies/registry.js';
import { pboFromReturns } from '../../src/engine/validation/pbo.js';
import { datasetCandles } from '../../src/research/datasets.js';
import { resolveExecution } from '../../src/research/execution.js';
import { familyKey, recordLedger, trialSourceId } from '../../src/research/ledger.js';
import { insertDataset, type DatasetRow } from '../../src/storage/datasets.js';
import { createRun, updateRun } from '../../src/storage/runs.js';
import { dataOf, harness, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

interface Reason {
  readonly code: string;
  readonly message: string;
}
/** The parts of an analysis these tests read. */
interface Analysis {
  readonly subject: { readonly kind: string; readonly analyzed_run_id: string | null };
  readonly sharpe_inference: { readonly sr_per_period: number; readonly psr0: number };
  readonly dsr: {
    readonly n: number;
    readonly used: string;
    readonly evidence: string;
    readonly n_source: string;
    readonly v: number;
    readonly sr0: number;
    readonly periods: number;
    readonly dsr: number;
    readonly cross_sectional: { readonly v: number; readonly sr0: number; readonly dsr: number };
    readonly effective_n_heuristic: { readonly n: number } | null;
  };
  readonly pbo: { readonly pbo: number; readonly n_trials: number; readonly n_splits: number; readonly exact: boolean };
  readonly verdict: { readonly reasons: Reason[] };
}

let h: Harness;
const COSTS = { commission: 0.0005, slippage_bps: 2 };

function dataset(seed: number, symbol: string): DatasetRow {
  const candles = generateSynthetic({ symbol, timeframe: '1h', bars: 6000, seed, start: Date.UTC(2024, 0, 1) });
  return insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 }).dataset;
}

async function bt(symbol: string, params: Record<string, unknown>): Promise<{ run_id: string }> {
  return dataOf(await h.call('backtest', { strategy: 'sma_cross', params, symbol, timeframe: '1h', execution: COSTS }));
}

async function analyze(args: Record<string, unknown>): Promise<Analysis> {
  return dataOf<Analysis>(await h.call('analyze_results', args));
}

beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

describe('analyze_results: selection bias from the trial ledger', () => {
  it('DSR deflates with N = distinct configurations of the family, counted across separate calls', async () => {
    dataset(11, 'FAM');
    const a = await bt('FAM', { fast: 24, slow: 96, direction: 'long_only' });
    const b = await bt('FAM', { fast: 30, slow: 120, direction: 'long_only' });
    await bt('FAM', { fast: 24, slow: 96, direction: 'long_only' }); // identical request: answered from the store, not a new trial
    const ra = await analyze({ run_id: a.run_id, depth: 'deep', mc_paths: 100 });
    const rb = await analyze({ run_id: b.run_id, depth: 'deep', mc_paths: 100 });
    expect(ra.dsr.n).toBe(2);
    expect(ra.dsr.used).toBe('no_skill');
    expect(ra.dsr.evidence).toBe('backtest');
    expect(ra.dsr.n_source).toMatch(/^2 distinct configuration\(s\) \(strategy \+ params\) on FAM 1h/);
    expect(ra.verdict.reasons.find((r) => r.code.startsWith('dsr_'))?.message).toMatch(/with N = 2 \(backtest evidence/);
    // used: V₀ = 1/(T − 1); E[max] of 2 unit-variance trials = 0.5198 (STATISTICS.md)
    expect(ra.dsr.v).toBeCloseTo(1 / (ra.dsr.periods - 1), 15);
    expect(ra.dsr.sr0 / Math.sqrt(ra.dsr.v)).toBeCloseTo(0.5198, 4);
    // beside it: V = sample variance of the two per-period Sharpes
    const s1 = ra.sharpe_inference.sr_per_period;
    const s2 = rb.sharpe_inference.sr_per_period;
    const v = (s1 - s2) ** 2 / 2;
    expect(ra.dsr.cross_sectional.v).toBeCloseTo(v, 12);
    expect(ra.dsr.cross_sectional.sr0 / Math.sqrt(v)).toBeCloseTo(0.5198, 4);
    expect(ra.dsr.dsr).toBeLessThan(ra.sharpe_inference.psr0); // deflation lowers it
    expect(ra.dsr.effective_n_heuristic!.n).toBeGreaterThanOrEqual(1);
    expect(ra.dsr.effective_n_heuristic!.n).toBeLessThanOrEqual(2);
  });

  it('PBO for an optimize run from its trials in the ledger (fake run), also via its best backtest; absent below deep', async () => {
    const ds = dataset(13, 'OPT');
    const candles = datasetCandles(h.app, ds);
    const opt = createRun(h.app.db, { kind: 'optimize', status: 'succeeded', strategy: 'sma_cross', dataset_id: ds.id, spec: { strategy: 'sma_cross', dataset_id: ds.id }, now: 5 });
    const s = getStrategy('sma_cross');
    const exec = resolveExecution(COSTS);
    const grid = [5, 10, 15, 20, 30, 40, 50, 60].map((f, k) => ({ k, params: s.params.parse({ fast: f, slow: 4 * f, direction: 'long_only' }) }));
    const trialReturns: Float64Array[] = [];
    let best = { k: -1, sharpe: -Infinity };
    for (const { k, params } of grid) {
      const r = runBacktest(candles, s, params, exec);
      const stats = ledgerStats(candles.time, r.equity);
      recordLedger(h.app, { key: familyKey('sma_cross', ds.content_hash, candles), source_kind: 'trial', source_id: trialSourceId(opt.id, k), params: params as Record<string, unknown>, stats });
      trialReturns.push(dailyReturns(candles.time, r.equity));
      if ((stats.sharpe ?? -Infinity) > best.sharpe) best = { k, sharpe: stats.sharpe ?? -Infinity };
    }
    const bestRun = dataOf<{ run_id: string }>(await h.call('backtest', { strategy: 'sma_cross', params: grid[best.k].params, symbol: 'OPT', timeframe: '1h', execution: COSTS }));
    sqliteOf(h.app).prepare('UPDATE runs SET parent_id = ? WHERE id = ?').run(opt.id, bestRun.run_id);
    updateRun(h.app.db, opt.id, { summary: { study_name: 'fake', best: { number: best.k, params: grid[best.k].params, values: [best.sharpe], metrics: {}, run_id: bestRun.run_id } } });

    const a = await analyze({ run_id: opt.id, depth: 'deep', mc_paths: 100 });
    expect(a.subject.kind).toBe('optimize');
    expect(a.subject.analyzed_run_id).toBe(bestRun.run_id);
    expect(a.pbo).not.toBeNull();
    expect(a.pbo.n_trials).toBe(8);
    expect(a.pbo.n_splits).toBe(12_870);
    expect(a.pbo.exact).toBe(true);
    // the same CSCV straight from the trials' daily returns (not from the ledger's block moments)
    expect(a.pbo.pbo).toBeCloseTo(pboFromReturns(trialReturns).pbo, 12);
    expect(a.dsr.n).toBe(8); // the best run repeats trial params: still 8 configurations
    expect(a.dsr.evidence).toBe('in_sample');
    const codes = a.verdict.reasons.map((r) => r.code);
    expect(codes.some((c) => c.startsWith('pbo_') && c !== 'pbo_missing')).toBe(true);
    expect(a.verdict.reasons.find((r) => r.code.startsWith('pbo_'))?.message).toMatch(/^PBO \d/);

    const viaBest = await analyze({ run_id: bestRun.run_id, depth: 'deep', mc_paths: 100 });
    expect(viaBest.pbo.pbo).toBe(a.pbo.pbo);
    const basic = await analyze({ run_id: opt.id });
    expect(basic.pbo).toBeUndefined();
  });
});
