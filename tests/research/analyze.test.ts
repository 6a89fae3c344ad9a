/**
 * analyze_results building blocks below the MCP layer: output hygiene, option and inline
 * validation, the walk-forward path (a fake run with a stitched curve), bar returns, and the
 * break-even search's edge cases against the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { getStrategy } from '../../src/engine/strategies/registry.js';
import { openApp, type App } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { finiteOrNull, lastItems } from '../../src/research/analyze/clean.js';
import { breakEvenCost } from '../../src/research/analyze/costs.js';
import { inlineSubject } from '../../src/research/analyze/inline.js';
import { barReturns, monteCarloSection } from '../../src/research/analyze/monte-carlo.js';
import { analyzeOptions, analyzeResults } from '../../src/research/analyze/request.js';
import { runSubject, walkForwardEvidence } from '../../src/research/analyze/subject.js';
import { resolveExecution } from '../../src/research/execution.js';
import { insertDataset, type DatasetRow } from '../../src/storage/datasets.js';
import { saveBacktestResult } from '../../src/storage/run-results.js';
import { loadRunResult } from '../../src/research/run-result.js';
import { createRun } from '../../src/storage/runs.js';
import { userError } from '../helpers/user-error.js';
import { sqliteOf } from '../helpers/sqlite.js';

/** The parts of a walk-forward analysis these tests read. */
interface WfAnalysis {
  readonly subject: { readonly kind: string };
  readonly overview: { readonly bars: number };
  readonly benchmark: { readonly buy_hold_return_pct: number };
  readonly dsr: Record<string, unknown>;
  readonly cost_sensitivity: unknown;
  readonly verdict: { readonly reasons: { readonly code: string; readonly level: string; readonly message: string; readonly value: number | null }[] };
}

let app: App;
let ds: DatasetRow;
beforeAll(() => {
  app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: {} });
  const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 6000, seed: 7, start: Date.UTC(2024, 0, 1) });
  ds = insertDataset(app.db, { candles, source: 'test', isSynthetic: true, now: 1 }).dataset;
});
afterAll(() => app.db.close());

describe('output hygiene', () => {
  it('replaces non-finite numbers by null and names each one in a warning', () => {
    const w: string[] = [];
    const out = finiteOrNull({ a: 1, b: NaN, c: [1, Infinity], d: { e: -Infinity }, f: new Float64Array([2, NaN]), g: undefined, h: 'x' }, w);
    expect(out).toEqual({ a: 1, b: null, c: [1, null], d: { e: null }, f: [2, null], h: 'x' });
    expect(w).toHaveLength(4);
    expect(w.join('\n')).toMatch(/^b is undefined \(NaN\)/m);
    expect(w.join('\n')).toMatch(/c\[1\] is undefined \(Infinity\)/);
    expect(w.join('\n')).toMatch(/d\.e is undefined/);
    expect(w.join('\n')).toMatch(/f\[1\]/);
  });

  it('keeps the last items of long lists and counts the rest', () => {
    expect(lastItems([1, 2, 3, 4, 5], 2)).toEqual({ items: [4, 5], omitted: 3 });
    expect(lastItems([1, 2], 5)).toEqual({ items: [1, 2], omitted: 0 });
  });
});

describe('options and inline validation', () => {
  it('fills defaults and names the offending option', () => {
    expect(analyzeOptions({})).toEqual({ depth: 'basic', seed: 0, ruinDrawdownPct: -50, mcPaths: 1000 });
    expect(userError(() => analyzeOptions({ ruin_drawdown_pct: 0 })).detail.field).toBe('ruin_drawdown_pct');
    expect(userError(() => analyzeOptions({ mc_paths: 5001 })).detail.field).toBe('mc_paths');
    expect(userError(() => analyzeOptions({ seed: 1.5 })).detail.field).toBe('seed');
  });

  it('names the path of a schema error inside inline data', () => {
    const e = userError(() => inlineSubject(app, { time: [1e12, 2e12], equity: [1, 2], trades: [{ direction: 'long', entry_time: 1e12, exit_time: 2e12, pnl: 1 }] }));
    expect(e.detail.field).toBe('inline.trades[0].return_pct');
    expect(userError(() => inlineSubject(app, { time: [1e12, 2e12], equity: [1, 2], extra: 1 })).message).toMatch(/extra/);
    const late = userError(() => inlineSubject(app, { time: [1e12, 2e12], equity: [1, 2], trades: [{ direction: 'long', entry_time: 2e12, exit_time: 1e12, pnl: 1, return_pct: 1 }] }));
    expect(late.detail.field).toBe('inline.trades[0].exit_time');
  });

  it('maps inline trade times to bars and reports missing exit reasons as unspecified', () => {
    const s = inlineSubject(app, { time: [1e12, 1e12 + 60_000, 1e12 + 120_000], equity: [1, 2, 3], trades: [{ direction: 'long', entry_time: 1e12 + 60_000, exit_time: 1e12 + 120_000, pnl: 1, return_pct: 50 }] });
    expect(s.trades[0].entry_bar).toBe(1);
    expect(s.trades[0].exit_bar).toBe(2);
    expect(s.exitReasonsKnown).toBe(false);
    const out = analyzeResults(app, { inline: { time: [1e12, 1e12 + 60_000, 1e12 + 120_000], equity: [1, 2, 3], trades: [{ direction: 'long', entry_time: 1e12, exit_time: 1e12 + 60_000, pnl: 1, return_pct: 100 }] } });
    expect((out.data.trades as { by_exit_reason: unknown }).by_exit_reason).toEqual({ unspecified: 1 });
  });
});

describe('bar returns for the block bootstrap', () => {
  it('start after the warm-up bar and treat 0/0 after a total loss as 0', () => {
    const r = barReturns(Float64Array.from([100, 100, 110, 0, 0]), 1);
    expect(r).toHaveLength(3);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(Array.from(r.slice(1))).toEqual([-1, 0]);
  });
});

describe('Monte Carlo budget', () => {
  it('reduces the number of paths on huge inputs and says so in the result', () => {
    const n = 2001;
    const s = inlineSubject(app, { time: Array.from({ length: n }, (_, i) => 1.7e12 + i * 60_000), equity: Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 50)) });
    const out = monteCarloSection(s, { depth: 'deep', seed: 1, ruinDrawdownPct: -50, mcPaths: 1000, mcStepBudget: 400_000 }) as {
      bar_bootstrap: { paths: number; n: number };
      path_reductions: string[];
    };
    expect(out.bar_bootstrap.n).toBe(2000);
    expect(out.bar_bootstrap.paths).toBe(200);
    expect(out.path_reductions.join(' ')).toMatch(/200 paths instead of the 1000 requested/);
    const full = monteCarloSection(s, { depth: 'deep', seed: 1, ruinDrawdownPct: -50, mcPaths: 1000 }) as { bar_bootstrap: { paths: number }; path_reductions: string[] };
    expect(full.bar_bootstrap.paths).toBe(1000);
    expect(full.path_reductions).toEqual([]);
  });
});

describe('walk-forward runs', () => {
  it('reads the WFE from the summary in the shapes a summary may use (the DSR is recomputed, never read)', () => {
    expect(walkForwardEvidence({ oos: { dsr: 0.7, n_trials: 40 }, wfe: 0.6 })).toEqual({ wfe: 0.6 });
    expect(walkForwardEvidence({ wfe: { wfe: 0.3 } })).toEqual({ wfe: 0.3 });
    expect(walkForwardEvidence(null)).toEqual({ wfe: null });
  });

  it('analyses the stitched out-of-sample curve against the dataset close; its DSR counts the OOS evaluations on its bars, not a number in the summary', () => {
    const bt = backtest(app, { strategy: 'sma_cross', params: { fast: 30, slow: 120 }, dataset_id: ds.id });
    const full = loadRunResult(app, bt.run_id as string)!; // the curve recomputed: stored backtests keep none
    const time = bt.resolved.candles.time.slice(3000);
    const equity = full.equity.slice(3000);
    const wf = createRun(app.db, { kind: 'walk_forward', status: 'succeeded', dataset_id: ds.id, strategy: 'sma_cross', spec: { dataset_id: ds.id }, now: 2 });
    sqliteOf(app).prepare('UPDATE runs SET summary = ? WHERE id = ?').run(JSON.stringify({ oos: { dsr: 0.7, n_trials: 40 }, wfe: 0.6 }), wf.id);
    saveBacktestResult(app.db, wf.id, { ...full, trades: full.trades.filter((t) => t.entry_time >= time[0]), equity, equity_time: time, warmup: 0 });
    expect(runSubject(app, wf.id).close?.[0]).toBe(bt.resolved.candles.close[3000]);
    const a = analyzeResults(app, { run_id: wf.id, depth: 'deep', mc_paths: 100 }).data as unknown as WfAnalysis;
    expect(a.subject.kind).toBe('walk_forward');
    expect(a.overview.bars).toBe(3000);
    expect(a.benchmark.buy_hold_return_pct).toBeCloseTo(100 * (bt.resolved.candles.close[5999] / bt.resolved.candles.close[3000] - 1), 9);
    // the full-range backtest overlaps the stitched bars and is a fixed-configuration evaluation: N = 1
    expect(a.dsr).toMatchObject({ evidence: 'walk_forward_oos', n: 1, used: 'no_skill' });
    expect(a.dsr.dsr).not.toBe(0.7);
    expect(a.cost_sensitivity).toBeNull();
    const reasons = a.verdict.reasons;
    expect(reasons.find((r) => r.code.startsWith('dsr_'))?.message).toMatch(/with N = 1 \(walk_forward_oos evidence/);
    expect(reasons.find((r) => r.code.startsWith('wfe_'))).toMatchObject({ level: 'pass', value: 0.6 });
  });

  it('refuses kinds without one equity curve, and runs without a stored result', () => {
    const batch = createRun(app.db, { kind: 'batch', status: 'succeeded', spec: {}, now: 3 });
    expect(userError(() => runSubject(app, batch.id)).message).toMatch(/batch run/);
    const opt = createRun(app.db, { kind: 'optimize', status: 'running', spec: {}, now: 3 });
    expect(userError(() => runSubject(app, opt.id)).message).toMatch(/no stored best trial/);
  });
});

describe('break-even cost search', () => {
  const s = getStrategy('sma_cross');
  const ctxFor = (params: Record<string, unknown>) => {
    const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 6000, seed: 7, start: Date.UTC(2024, 0, 1) });
    const p = s.params.parse(params) as Record<string, unknown>;
    const execution = resolveExecution({});
    const ret = (runBacktest(candles, s, p, execution).metrics.return_pct as number) / 100;
    return { ctx: { candles, strategy: s, params: p, execution, storedReturn: ret }, signals: s.signals(candles, p, {}), ret };
  };

  it('reports no edge when the zero-cost return is not positive', () => {
    const { ctx, signals, ret } = ctxFor({ fast: 5, slow: 20, direction: 'long_short' });
    expect(ret).toBeLessThanOrEqual(0);
    expect(breakEvenCost(ctx, signals)).toMatchObject({ status: 'no_edge_without_costs', cost_per_side_bps: 0 });
  });

  it('reports a break-even above the cap rather than a number it did not find', () => {
    const { ctx, signals, ret } = ctxFor({ fast: 30, slow: 120, direction: 'long_only' });
    expect(ret).toBeGreaterThan(0);
    const be = breakEvenCost(ctx, signals, 0.5);
    expect(be).toMatchObject({ status: 'above_cap', cost_per_side_bps: null, cap_bps: 0.5 });
  });
});
