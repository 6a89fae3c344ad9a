/**
 * analyze_results through the in-process MCP client: each depth on stored backtests, the
 * comparison, inline data, determinism, cost sensitivity and errors (DSR from the ledger
 * family and PBO for an optimize run: tests/research/analyze-selection.test.ts). Reference values come from the metrics engine (computed
 * independently of the analysis code), STATISTICS.md's paper constants, and hand-worked cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { getStrategy } from '../../src/engine/strategies/registry.js';
import { resolveExecution } from '../../src/research/execution.js';
import { insertDataset, type DatasetRow } from '../../src/storage/datasets.js';
import { datasetCandles } from '../../src/research/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

/** The parts of an analysis these tests read (the result is plain JSON). */
interface Pcts {
  readonly p05: number;
  readonly p50: number;
  readonly p95: number;
}
interface Mc {
  readonly paths: number;
  readonly n: number;
  readonly final_return: Pcts;
  readonly p_loss: number;
  readonly p_drawdown_worse_than: { readonly depth: number; readonly p: number }[];
  readonly observed: { readonly final_return: number };
}
interface Reason {
  readonly code: string;
  readonly level: string;
  readonly message: string;
  readonly value: number | null;
}
interface Analysis {
  readonly depth: string;
  readonly subject: { readonly kind: string; readonly analyzed_run_id: string | null; readonly params: Record<string, unknown> };
  readonly overview: { readonly return_pct: number; readonly bars: number };
  readonly trades: { readonly trades: number; readonly wins: number; readonly losses: number; readonly breakeven: number; readonly win_rate_pct: number; readonly by_exit_reason: Record<string, number> };
  readonly drawdowns: {
    readonly max_drawdown_pct: number;
    readonly max_drawdown_duration_days: number;
    readonly underwater: { readonly time: number[]; readonly drawdown_pct: number[]; readonly downsampled: boolean };
  };
  readonly returns: Record<'n' | 'mean' | 'std' | 'kurtosis_raw' | 'kurtosis_excess' | 'var_95' | 'var_99' | 'cvar_95', number>;
  readonly risk: Record<string, number>;
  readonly benchmark: Record<'buy_hold_return_pct' | 'correlation' | 'alpha_pct' | 'beta', number>;
  readonly breakdown: { readonly monthly: { readonly return_pct: number }[]; readonly yearly: { readonly return_pct: number }[]; readonly monthly_omitted: number };
  readonly long_short: { readonly long: { readonly trades: number; readonly share_of_total_pnl_pct: number }; readonly short: { readonly trades: number } };
  readonly monte_carlo: { readonly trade_bootstrap: Mc; readonly bar_bootstrap: Mc; readonly risk_of_ruin: { readonly drawdown_pct: number; readonly bar_bootstrap: number } };
  readonly sharpe_inference: Record<'sr_per_period' | 'psr0' | 'skew' | 'kurtosis_raw' | 'min_trl_periods', number>;
  readonly dsr: {
    readonly selection: { readonly configurations: number };
    readonly evidence: string;
    readonly n: number;
    readonly used: string;
    readonly n_source: string;
    readonly v: number;
    readonly dsr: number;
    readonly sr0: number;
  };
  readonly pbo: { readonly pbo: number; readonly n_trials: number; readonly n_splits: number; readonly exact: boolean };
  readonly cost_sensitivity: {
    readonly rerun_reproduces_stored: boolean;
    readonly monotone: boolean;
    readonly runs: { readonly multiple: number; readonly return_pct: number }[];
    readonly break_even: { readonly status: string; readonly bracket_bps: [number, number]; readonly cost_per_side_bps: number };
  };
  readonly verdict: { readonly verdict: string; readonly reasons: Reason[] };
  readonly warnings: string[];
}
interface Comparison {
  readonly runs: { readonly sharpe: number; readonly return_pct: number; readonly dsr: number; readonly dsr_n: number; readonly verdict: string }[];
  readonly ranking: { readonly run_id: string }[];
  readonly dsr_order: string[];
  readonly dsr_order_differs: boolean;
}

let h: Harness;
let syn: DatasetRow;
let winner: { run_id: string; metrics: Record<string, number> };
let loser: { run_id: string; metrics: Record<string, number> };
const COSTS = { commission: 0.0005, slippage_bps: 2 };

function dataset(seed: number, symbol: string): DatasetRow {
  const candles = generateSynthetic({ symbol, timeframe: '1h', bars: 6000, seed, start: Date.UTC(2024, 0, 1) });
  return insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 }).dataset;
}

async function bt(symbol: string, params: Record<string, unknown>, execution: Record<string, unknown> = COSTS): Promise<{ run_id: string; metrics: Record<string, number> }> {
  return dataOf(await h.call('backtest', { strategy: 'sma_cross', params, symbol, timeframe: '1h', execution }));
}

async function analyze(args: Record<string, unknown>): Promise<Analysis> {
  return dataOf<Analysis>(await h.call('analyze_results', args));
}

const count = (table: string): number => (sqliteOf(h.app).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

beforeAll(async () => {
  h = await harness();
  syn = dataset(7, 'SYN');
  winner = await bt('SYN', { fast: 30, slow: 120, direction: 'long_only' });
  loser = await bt('SYN', { fast: 10, slow: 40, direction: 'long_only' });
});
afterAll(async () => h.close());

describe('analyze_results: depths on a stored backtest', () => {
  it('is a read-tier, idempotent tool', async () => {
    const { tools } = await h.client.listTools();
    const t = tools.find((x) => x.name === 'analyze_results');
    expect(t?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false, idempotentHint: true });
  });

  it('basic: trade, drawdown and return-distribution sections agree with the metrics engine', async () => {
    const m = winner.metrics;
    const a = await analyze({ run_id: winner.run_id });
    expect(a.depth).toBe('basic');
    expect(a.overview.return_pct).toBeCloseTo(m.return_pct, 9);
    expect(a.trades.trades).toBe(m.trades);
    expect(a.trades.win_rate_pct).toBeCloseTo(m.win_rate_pct, 9);
    expect(a.trades.wins + a.trades.losses + a.trades.breakeven).toBe(m.trades);
    expect(a.drawdowns.max_drawdown_pct).toBeCloseTo(m.max_drawdown_pct, 9);
    expect(a.drawdowns.max_drawdown_duration_days).toBeCloseTo(m.max_drawdown_duration_days, 9);
    const uw = a.drawdowns.underwater;
    expect(uw.time.length).toBeLessThanOrEqual(200);
    expect(uw.downsampled).toBe(true);
    expect(Math.min(...uw.drawdown_pct)).toBeCloseTo(m.max_drawdown_pct, 9); // the deepest bar survives downsampling
    expect(a.returns.kurtosis_excess).toBeCloseTo(a.returns.kurtosis_raw - 3, 12);
    expect(100 * a.returns.std * Math.sqrt(365)).toBeCloseTo(m.volatility_ann_pct, 9);
    expect(a.returns.cvar_95).toBeLessThanOrEqual(a.returns.var_95);
    expect(a.returns.var_99).toBeLessThanOrEqual(a.returns.var_95);
    expect(a.risk).toBeUndefined();
    expect(a.monte_carlo).toBeUndefined();
    expect(['promote-able', 'caution', 'reject']).toContain(a.verdict.verdict);
    expect(a.verdict.reasons.map((r) => r.code)).toContain('dsr_missing');
  });

  it('advanced: ratios equal the metrics engine, breakdowns compound to the total, long vs short split the trades', async () => {
    const m = winner.metrics;
    const a = await analyze({ run_id: winner.run_id, depth: 'advanced' });
    for (const k of ['sharpe', 'sortino', 'calmar', 'sqn', 'kelly', 'cagr_pct'] as const) expect(a.risk[k], k).toBeCloseTo(m[k], 9);
    expect(a.risk.omega).toBeGreaterThan(0);
    expect(a.benchmark.buy_hold_return_pct).toBeCloseTo(m.buy_hold_return_pct, 9);
    expect(Math.abs(a.benchmark.correlation)).toBeLessThanOrEqual(1);
    expect(a.benchmark.alpha_pct).toBeCloseTo(m.return_pct - a.benchmark.beta * m.buy_hold_return_pct, 9);
    const compound = (rows: readonly { readonly return_pct: number }[]): number => 100 * (rows.reduce((p, r) => p * (1 + r.return_pct / 100), 1) - 1);
    expect(compound(a.breakdown.monthly)).toBeCloseTo(m.return_pct, 8);
    expect(compound(a.breakdown.yearly)).toBeCloseTo(m.return_pct, 8);
    expect(a.breakdown.monthly_omitted).toBe(0);
    expect(a.long_short.long.trades).toBe(m.trades); // long_only
    expect(a.long_short.short.trades).toBe(0);
    expect(a.long_short.long.share_of_total_pnl_pct).toBeCloseTo(100, 9);
  });

  it('deep: Monte Carlo, PSR/MinTRL, DSR and costs; no PBO for a plain backtest; nothing stored or added to the ledger', async () => {
    const m = winner.metrics;
    const before = { runs: count('runs'), ledger: count('ledger_entries') };
    const a = await analyze({ run_id: winner.run_id, depth: 'deep' });
    expect({ runs: count('runs'), ledger: count('ledger_entries') }).toEqual(before);

    const mc = a.monte_carlo;
    for (const key of ['trade_bootstrap', 'bar_bootstrap'] as const) {
      const s = mc[key];
      expect(s.paths).toBe(1000);
      expect(s.final_return.p05).toBeLessThanOrEqual(s.final_return.p50);
      expect(s.final_return.p50).toBeLessThanOrEqual(s.final_return.p95);
      expect(s.p_loss).toBeGreaterThanOrEqual(0);
      expect(s.p_drawdown_worse_than.map((x) => x.depth)).toContain(0.5);
    }
    expect(mc.bar_bootstrap.observed.final_return).toBeCloseTo(m.return_pct / 100, 9);
    expect(mc.risk_of_ruin.drawdown_pct).toBe(-50);
    expect(mc.risk_of_ruin.bar_bootstrap).toBe(mc.bar_bootstrap.p_drawdown_worse_than.find((x) => x.depth === 0.5)?.p);

    const inf = a.sharpe_inference;
    expect(inf.sr_per_period * Math.sqrt(365)).toBeCloseTo(m.sharpe, 9);
    expect(inf.psr0).toBeGreaterThan(0.5);
    expect(inf.psr0).toBeLessThan(1);
    // MinTRL restated from Bailey & López de Prado (2012), STATISTICS.md; z(0.95) = 1.6448536269514722
    const sr = inf.sr_per_period;
    const minTrl = 1 + (1 - inf.skew * sr + ((inf.kurtosis_raw - 1) / 4) * sr * sr) * (1.6448536269514722 / sr) ** 2;
    expect(inf.min_trl_periods).toBeCloseTo(minTrl, 6);

    expect(a.pbo).toBeNull();
    expect(a.verdict.reasons.map((r) => r.code)).toContain('pbo_missing');
    expect(a.dsr.selection.configurations).toBe(2); // winner and loser overlap on the same market
    expect(a.dsr).toMatchObject({ evidence: 'backtest', n: 2, used: 'no_skill' });

    const c = a.cost_sensitivity;
    expect(c.rerun_reproduces_stored).toBe(true);
    expect(c.runs.map((r) => r.multiple)).toEqual([1, 2, 3]);
    expect(c.runs[0].return_pct).toBeCloseTo(m.return_pct, 9);
    expect(c.runs[1].return_pct).toBeLessThan(c.runs[0].return_pct);
    expect(c.runs[2].return_pct).toBeLessThan(c.runs[1].return_pct);
    expect(c.monotone).toBe(true);
  });

  it('cost break-even: the engine return crosses zero inside the reported bracket', async () => {
    const a = await analyze({ run_id: winner.run_id, depth: 'deep', mc_paths: 100 });
    const be = a.cost_sensitivity.break_even;
    expect(be.status).toBe('found');
    const [lo, hi] = be.bracket_bps as [number, number];
    expect(hi - lo).toBeLessThanOrEqual(0.01 + 1e-12);
    expect(be.cost_per_side_bps).toBeGreaterThan(lo - 1e-12);
    const s = getStrategy('sma_cross');
    const candles = datasetCandles(h.app, syn);
    const params = s.params.parse(a.subject.params);
    const at = (bps: number): number => runBacktest(candles, s, params, resolveExecution({ commission: bps / 10_000 })).metrics.return_pct as number;
    expect(at(lo)).toBeGreaterThan(0);
    expect(at(hi)).toBeLessThanOrEqual(0);
    // the curve (13 costs, 0 … 2 × break-even) is the engine's return at each cost, crossing zero at the break-even
    const curve = (a.cost_sensitivity as unknown as { curve: { cost_per_side_bps: number; return_pct: number }[] }).curve;
    expect(curve).toHaveLength(13);
    expect(curve[0].cost_per_side_bps).toBe(0);
    expect(curve[12].cost_per_side_bps).toBeCloseTo(2 * be.cost_per_side_bps, 9);
    for (const p of [curve[0], curve[5], curve[12]]) expect(p.return_pct).toBeCloseTo(at(p.cost_per_side_bps), 9);
    for (const p of curve.filter((q) => q.cost_per_side_bps < lo || q.cost_per_side_bps > hi)) expect(p.return_pct > 0).toBe(p.cost_per_side_bps < lo);
  });

  it('same inputs and seed ⇒ identical output; another seed changes only the Monte Carlo', async () => {
    const args = { run_id: loser.run_id, depth: 'deep', seed: 42, mc_paths: 300 };
    const a1 = await h.call('analyze_results', args);
    const a2 = await h.call('analyze_results', args);
    expect(a2.structuredContent).toEqual(a1.structuredContent);
    expect(textOf(a2)).toBe(textOf(a1));
    const b = await analyze({ ...args, seed: 43 });
    const a = a1.structuredContent as unknown as Analysis;
    expect(b.monte_carlo.bar_bootstrap.final_return).not.toEqual(a.monte_carlo.bar_bootstrap.final_return);
    const strip = (x: Analysis): Omit<Analysis, 'monte_carlo'> => {
      const { monte_carlo: _m, ...rest } = x as Analysis & { seed?: number };
      delete (rest as { seed?: number }).seed;
      return rest;
    };
    expect(strip(b)).toEqual(strip(a));
  });

  it('keeps the result small (well under ~20k tokens)', async () => {
    const r = await h.call('analyze_results', { run_id: winner.run_id, depth: 'deep', mc_paths: 100 });
    expect(JSON.stringify(r.structuredContent).length).toBeLessThan(60_000);
    expect(textOf(r)).toMatch(/Verdict: (promote-able|caution|reject)/);
  });
});

describe('analyze_results: comparison', () => {
  it('returns headline numbers and verdicts side by side, ranked by Sharpe, with the DSR ordering', async () => {
    const c = dataOf<Comparison>(await h.call('analyze_results', { run_ids: [loser.run_id, winner.run_id] }));
    expect(c.runs).toHaveLength(2);
    expect(c.ranking.map((r) => r.run_id)).toEqual([winner.run_id, loser.run_id]);
    expect(c.runs[1].sharpe).toBeCloseTo(winner.metrics.sharpe, 9);
    expect(c.runs[0].return_pct).toBeCloseTo(loser.metrics.return_pct, 9);
    for (const r of c.runs) {
      expect(r.dsr).toBeGreaterThanOrEqual(0);
      expect(r.dsr_n).toBeGreaterThanOrEqual(2);
      expect(['promote-able', 'caution', 'reject']).toContain(r.verdict);
    }
    expect(c.dsr_order).toHaveLength(2);
    expect(typeof c.dsr_order_differs).toBe('boolean');
  });

  it('rejects repeated, unknown and too few run ids naming the field', async () => {
    const dup = await h.call('analyze_results', { run_ids: [winner.run_id, winner.run_id] });
    expect(dup.isError).toBe(true);
    expect(textOf(dup)).toMatch(/run_ids\[1\]/);
    const unknown = await h.call('analyze_results', { run_ids: [winner.run_id, 'bt_missing'] });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/bt_missing/);
    expect(textOf(unknown)).toMatch(/run_ids\[1\]/);
    const one = await h.call('analyze_results', { run_ids: [winner.run_id] });
    expect(one.isError).toBe(true);
    expect(textOf(one)).toMatch(/run_ids/);
  });
});

describe('analyze_results: inline data and errors', () => {
  const DAY = 86_400_000;
  const t0 = Date.UTC(2024, 0, 1);
  const time = [0, 1, 2, 3, 4].map((d) => t0 + d * DAY);
  const equity = [100, 110, 99, 108.9, 130.68]; // daily returns +10 %, −10 %, +10 %, +20 %
  const close = [10, 11, 10.5, 11, 12];
  const trades = [
    { direction: 'long', entry_time: time[0], exit_time: time[1], pnl: 10, return_pct: 10, exit_reason: 'signal' },
    { direction: 'short', entry_time: time[1], exit_time: time[2], pnl: -11, return_pct: -10, exit_reason: 'stop_loss' },
  ];

  it('analyses a hand-worked curve', async () => {
    const a = await analyze({ inline: { time, equity, trades, benchmark_close: close }, depth: 'deep', mc_paths: 100 });
    expect(a.subject.kind).toBe('inline');
    expect(a.overview.return_pct).toBeCloseTo(30.68, 9);
    expect(a.drawdowns.max_drawdown_pct).toBeCloseTo(-10, 9);
    expect(a.returns.n).toBe(4);
    expect(a.returns.mean).toBeCloseTo(0.075, 12);
    expect(a.returns.std).toBeCloseTo(Math.sqrt(0.0475 / 3), 12);
    expect(a.trades.trades).toBe(2);
    expect(a.trades.win_rate_pct).toBe(50);
    expect(a.trades.by_exit_reason.stop_loss).toBe(1);
    expect(a.long_short.short.trades).toBe(1);
    // beta = cov/var (ddof 1) of per-bar log returns, worked out here independently
    const le = [1, 2, 3, 4].map((i) => Math.log(equity[i] / equity[i - 1]));
    const lc = [1, 2, 3, 4].map((i) => Math.log(close[i] / close[i - 1]));
    const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
    const cov = le.reduce((s, v, i) => s + (v - mean(le)) * (lc[i] - mean(lc)), 0) / 3;
    const varC = lc.reduce((s, v) => s + (v - mean(lc)) ** 2, 0) / 3;
    expect(a.benchmark.beta).toBeCloseTo(cov / varC, 12);
    expect(a.benchmark.buy_hold_return_pct).toBeCloseTo(20, 9);
    expect(a.dsr).toBeNull();
    expect(a.cost_sensitivity).toBeNull();
    expect(a.warnings.join(' ')).toMatch(/inline data/);
    expect(a.monte_carlo.bar_bootstrap.n).toBe(4);
  });

  it('rejects oversize and malformed inline input naming the field', async () => {
    const small = await harness({ config: { limits: { max_inline_rows: 50 } } });
    try {
      const n = 60;
      const big = await small.call('analyze_results', { inline: { time: Array.from({ length: n }, (_, i) => t0 + i * DAY), equity: Array.from({ length: n }, () => 100) } });
      expect(big.isError).toBe(true);
      expect(textOf(big)).toMatch(/inline\.time/);
      expect(textOf(big)).toMatch(/50/);
      const ok = { time: Array.from({ length: 10 }, (_, i) => t0 + i * DAY), equity: Array.from({ length: 10 }, () => 100) };
      const bench = await small.call('analyze_results', { inline: { ...ok, benchmark_close: Array.from({ length: n }, () => 1) } });
      expect(bench.isError).toBe(true);
      expect(textOf(bench)).toMatch(/inline\.benchmark_close has 60 rows, above the limit of 50 \(limits\.max_inline_rows\)/);
    } finally {
      await small.close();
    }
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ time: [time[0], time[2], time[1]], equity: [1, 2, 3] }, /inline\.time\[2\]/],
      [{ time, equity: [100, 101] }, /inline\.equity/],
      [{ time: time.map((t) => t / 1000), equity }, /inline\.time\[0\].*SECONDS/],
      [{ time, equity, benchmark_close: [1, 2] }, /inline\.benchmark_close/],
      [{ time, equity: [0, 1, 2, 3, 4] }, /inline\.equity\[0\]/],
      [{ time, equity: ['a', 1, 2, 3, 4] }, /equity/],
      [{ time, equity, trades: [{ direction: 'up', entry_time: 1, exit_time: 2, pnl: 0, return_pct: 0 }] }, /direction/],
    ];
    for (const [inline, re] of cases) {
      const r = await h.call('analyze_results', { inline });
      expect(r.isError, JSON.stringify(inline).slice(0, 80)).toBe(true);
      expect(textOf(r)).toMatch(re);
    }
  });

  it('needs exactly one subject; unknown run ids and bad options are isError naming the field', async () => {
    const none = await h.call('analyze_results', {});
    expect(none.isError).toBe(true);
    expect(textOf(none)).toMatch(/run_id/);
    const both = await h.call('analyze_results', { run_id: winner.run_id, inline: { time, equity } });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toMatch(/run_id, inline/);
    const unknown = await h.call('analyze_results', { run_id: 'bt_nope' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/bt_nope/);
    expect(textOf(unknown)).toMatch(/run_id/);
    const paths = await h.call('analyze_results', { run_id: winner.run_id, mc_paths: 10_000 });
    expect(paths.isError).toBe(true);
    expect(textOf(paths)).toMatch(/mc_paths/);
    const ruin = await h.call('analyze_results', { run_id: winner.run_id, ruin_drawdown_pct: 20 });
    expect(ruin.isError).toBe(true);
    expect(textOf(ruin)).toMatch(/ruin_drawdown_pct/);
  });
});
