import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { createRng, type Rng } from '../../src/engine/random.js';
import { analysisCharts } from '../../src/report/charts/analysis.js';
import { backtestCharts, drawdownPct } from '../../src/report/charts/backtest.js';
import { batchCharts } from '../../src/report/charts/batch.js';
import { championCharts } from '../../src/report/charts/champion.js';
import { rankTrials } from '../../src/engine/optimizer/objectives.js';
import { optimizeCharts } from '../../src/report/charts/optimize.js';
import { walkForwardCharts } from '../../src/report/charts/walk-forward.js';
import { chartSvg } from '../../src/report/render.js';
import type { BacktestChartInput, ChartSpec, OptimizeChartInput, TrialPoint, VegaLiteSpec } from '../../src/report/types.js';

/** Compiles with a collecting logger; returns the warnings (and errors). */
function compileWarnings(spec: VegaLiteSpec): string[] {
  const warns: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...a: unknown[]) => (warns.push(a.map(String).join(' ')), logger),
    error: (...a: unknown[]) => (warns.push(`error: ${a.map(String).join(' ')}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  compile(spec as unknown as TopLevelSpec, { logger: logger as never });
  return warns;
}

/** Elements in the SVG group of the named mark (`<name>_marks`). */
function markCount(svg: string, name: string, element = 'path'): number {
  const m = new RegExp(`<g class="mark-[a-z]+ role-mark ${name}_marks"[^>]*>(.*?)</g>`, 's').exec(svg);
  if (!m) return 0;
  return (m[1].match(new RegExp(`<${element}[ >]`, 'g')) ?? []).length;
}

function byId(charts: ChartSpec[]): Map<string, ChartSpec> {
  return new Map(charts.map((c) => [c.id, c]));
}

function expectSelfContained(c: ChartSpec): void {
  const json = JSON.stringify(c.spec);
  expect(json).not.toMatch(/"url"\s*:/);
  expect(json.replace(/"\$schema":"[^"]*"/, '')).not.toMatch(/https?:\/\//);
  expect(c.caption.length).toBeGreaterThan(10);
  expect(compileWarnings(c.spec)).toEqual([]);
}

function dataset(c: ChartSpec, name: string): Record<string, unknown>[] {
  const ds = (c.spec.datasets ?? {}) as Record<string, Record<string, unknown>[]>;
  return ds[name];
}

function values(c: ChartSpec): Record<string, unknown>[] {
  return (c.spec.data as { values: Record<string, unknown>[] }).values;
}

function backtestInput(rng: Rng, n: number, nTrades: number): BacktestChartInput {
  const time = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n), close = new Float64Array(n), equity = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    time[i] = Date.UTC(2022, 0, 1) + i * 60_000;
    open[i] = p;
    p *= 1 + rng.normal() * 0.002;
    close[i] = p;
    high[i] = Math.max(open[i], p) * 1.001;
    low[i] = Math.min(open[i], p) * 0.999;
    equity[i] = (i ? equity[i - 1] : 10_000) * (1 + rng.normal() * 0.001);
  }
  const gap = Math.floor(n / (nTrades + 1));
  const trades = Array.from({ length: nTrades }, (_, k) => {
    const i = k * gap + 1;
    const j = i + Math.max(1, Math.floor(gap / 2));
    const direction = k % 3 === 2 ? ('short' as const) : ('long' as const);
    return { direction, entry_time: time[i], entry_price: close[i], exit_time: time[j], exit_price: close[j], return_pct: (direction === 'long' ? 1 : -1) * (close[j] / close[i] - 1) * 100, exit_reason: 'signal' };
  });
  return { time, open, high, low, close, equity, trades, open_trades: [{ direction: 'short', entry_time: time[n - 2], entry_price: close[n - 2] }] };
}

describe('backtestCharts', () => {
  it('draws candles, every trade, equity, drawdown and exposure; specs compile cleanly', async () => {
    const input = backtestInput(createRng(1), 3000, 40);
    const charts = backtestCharts(input);
    expect(charts.map((c) => c.id)).toEqual(['price', 'equity', 'drawdown', 'exposure']);
    charts.forEach(expectSelfContained);
    const c = byId(charts);
    const price = c.get('price')!;
    expect(dataset(price, 'candles').length).toBe(1500); // 3,000 bars > 1,500 → buckets of 2
    const svg = await chartSvg(price.spec);
    expect(markCount(svg, 'entries')).toBe(41); // 40 closed + 1 open
    expect(markCount(svg, 'exits')).toBe(40);
    const dd = values(c.get('drawdown')!).map((r) => r.v as number);
    const full = drawdownPct(input.equity);
    expect(Math.min(...dd)).toBeCloseTo(Math.min(...full), 6);
    const exposure = values(c.get('exposure')!).map((r) => r.x as number);
    expect(new Set(exposure)).toEqual(new Set([0, 1, -1]));
    expect(exposure.at(-1)).toBe(-1); // the open short is still on
    const exSvg = await chartSvg(c.get('exposure')!.spec);
    expect(exSvg.includes('mark-area')).toBe(true);
  });

  it('keeps a 1,000,000-bar price chart to ≤ maxPoints candles and all trades', async () => {
    const input = backtestInput(createRng(2), 1_000_000, 500);
    const t0 = performance.now();
    const charts = backtestCharts(input, { maxPoints: 1500 });
    const price = byId(charts).get('price')!;
    const svg = await chartSvg(price.spec);
    const ms = performance.now() - t0;
    expect(dataset(price, 'candles').length).toBeLessThanOrEqual(1500);
    expect(dataset(price, 'trades').length).toBe(501);
    expect(markCount(svg, 'entries')).toBe(501);
    expect(markCount(svg, 'exits')).toBe(500);
    for (const id of ['equity', 'drawdown']) expect(values(byId(charts).get(id)!).length).toBeLessThanOrEqual(1500);
    expect(price.caption).toContain('1,000,000 bars');
    expect(ms).toBeLessThan(8000);
    expect(JSON.stringify(charts.map((c) => c.spec)).length).toBeLessThan(1_000_000);
  });
});

function trials(rng: Rng, n: number, withSteps: boolean): TrialPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const a = 5 + rng.int(0, 50), b = rng.next() * 3, c = rng.next() * 10;
    const v = -((a - 20) ** 2) / 100 - (b - 1.5) ** 2 + rng.next() * 0.3;
    const r = rng.next();
    const state: TrialPoint['state'] = i === n - 1 ? 'RUNNING' : r < 0.1 ? 'PRUNED' : r < 0.14 ? 'FAIL' : 'COMPLETE';
    const steps = withSteps && (state === 'PRUNED' ? i % 2 === 0 : i % 4 === 0) ? Array.from({ length: i % 5 === 0 ? 400 : 8 }, (_, k) => ({ step: k, value: v + rng.normal() * 0.1 })) : undefined;
    return { number: i, state, values: state === 'COMPLETE' ? [v, b * 10 + rng.next()] : null, params: { 'entry.period': a, 'exit.mult': b, 'x.c': c, use_filter: r < 0.5, 'ma.kind': r < 0.3 ? 'ema' : 'sma' }, intermediate: steps };
  });
}

describe('optimizeCharts', () => {
  const rng = createRng(9);
  const all = trials(rng, 5000, true);
  const complete = all.filter((t) => t.state === 'COMPLETE');
  const input: OptimizeChartInput = {
    objectives: [{ metric: 'sharpe', direction: 'maximize' }, { metric: 'max_dd', direction: 'minimize' }],
    trials: all,
    importance: { 'x.c': 0.4, 'entry.period': 0.3, 'exit.mult': 0.2, use_filter: 0.05, 'ma.kind': 0.05 },
    pareto: complete.slice(0, 6).map((t) => t.number),
  };
  const charts = optimizeCharts(input);
  const c = byId(charts);

  it('builds every chart for a 5,000-trial two-objective study, light and warning-free', () => {
    expect(charts.map((x) => x.id)).toEqual(['history', 'importance', 'parallel', 'contour', 'contour-2', 'slice', 'pareto', 'intermediate']);
    charts.forEach(expectSelfContained);
    const bytes = charts.map((x) => JSON.stringify(x.spec).length);
    expect(Math.max(...bytes)).toBeLessThan(450_000);
    expect(bytes.reduce((s, x) => s + x, 0)).toBeLessThan(1_800_000);
  });

  it('history draws every trial, pruned, failed and running included', async () => {
    const svg = await chartSvg(c.get('history')!.spec);
    expect(markCount(svg, 'trial_points') + markCount(svg, 'trial_band')).toBe(5000);
    const unscored = all.filter((t) => t.state === 'FAIL' || t.state === 'RUNNING' || (t.state === 'PRUNED' && !t.intermediate?.length)).length;
    expect(markCount(svg, 'trial_band')).toBe(unscored);
    const best = dataset(c.get('history')!, 'best').map((r) => r.b as number);
    for (let i = 1; i < best.length; i++) expect(best[i]).toBeGreaterThanOrEqual(best[i - 1]); // maximize
    expect(best.at(-1)).toBeCloseTo(Math.max(...complete.map((t) => t.values![0]!)), 5);
  });

  it('parallel keeps the 500 best complete trials; contours use the most important numeric pairs', () => {
    const par = values(c.get('parallel')!);
    expect(par.length).toBe(500);
    const cutoff = [...complete.map((t) => t.values![0]!)].sort((a, b) => b - a)[499];
    for (const r of par) expect(r.v as number).toBeGreaterThanOrEqual(cutoff - 1e-6);
    expect(c.get('parallel')!.caption).toContain('500 best');
    // the same trials, best last (drawn on top), as the optimizer's ranking gives them
    expect(par.map((r) => r.n)).toEqual(rankTrials(complete, ['maximize']).slice(0, 500).reverse().map((t) => t.number));
    expect(c.get('contour')!.title).toContain('x.c × entry.period');
    expect(c.get('contour-2')!.title).toContain('x.c × exit.mult');
    expect(values(c.get('contour')!).length).toBe(complete.length);
  });

  it('pareto highlights the front; intermediate is capped at 200 trials', async () => {
    const svg = await chartSvg(c.get('pareto')!.spec);
    expect(markCount(svg, 'pareto_front')).toBe(6);
    expect(markCount(svg, 'pareto_front') + markCount(svg, 'pareto_dominated')).toBe(complete.length);
    const inter = values(c.get('intermediate')!);
    expect(new Set(inter.map((r) => r.n)).size).toBe(200);
    const perTrial = new Map<unknown, number>();
    for (const r of inter) perTrial.set(r.n, (perTrial.get(r.n) ?? 0) + 1);
    expect(Math.max(...perTrial.values())).toBeLessThanOrEqual(100);
    expect(c.get('intermediate')!.caption).toMatch(/200 of [\d,]+ trials/);
  });

  it('renders every optimise chart to SVG', async () => {
    for (const id of ['importance', 'parallel', 'contour', 'slice', 'intermediate']) {
      const svg = await chartSvg(c.get(id)!.spec);
      expect(svg.startsWith('<svg')).toBe(true);
    }
  });

  it('omits importance, pareto and intermediate without their data; first pairs without importance', () => {
    const small = trials(createRng(4), 60, false);
    const out = optimizeCharts({ objectives: [{ metric: 'pnl', direction: 'minimize' }], trials: small, importance: null, pareto: [] });
    expect(out.map((x) => x.id)).toEqual(['history', 'parallel', 'contour', 'contour-2', 'slice']);
    out.forEach(expectSelfContained);
    expect(byId(out).get('contour')!.title).toContain('entry.period × exit.mult');
    expect(byId(out).get('contour')!.caption).toContain('no importance');
    const best = dataset(byId(out).get('history')!, 'best').map((r) => r.b as number);
    for (let i = 1; i < best.length; i++) expect(best[i]).toBeLessThanOrEqual(best[i - 1]); // minimize
  });
});

describe('walkForwardCharts, batchCharts, analysisCharts, championCharts', () => {
  it('walk-forward: stitched equity with window rules, IS vs OOS bars, param drift', async () => {
    const rng = createRng(12);
    const n = 50_000;
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2021, 0, 1) + i * 3_600_000);
    const equity = new Float64Array(n);
    for (let i = 0; i < n; i++) equity[i] = (i ? equity[i - 1] : 1) * (1 + rng.normal() * 0.002);
    const windows = Array.from({ length: 6 }, (_, k) => ({ index: k, is_from: time[k * 5000], is_to: time[k * 5000 + 4999], oos_from: time[k * 8000], oos_to: time[k * 8000 + 7999], is_sharpe: 1 + rng.next(), oos_sharpe: k === 2 ? null : rng.next() - 0.5, params: { 'fast.period': rng.int(5, 20), slow: rng.int(30, 90), kind: 'ema' } }));
    const charts = walkForwardCharts({ time, equity, windows });
    expect(charts.map((x) => x.id)).toEqual(['oos_equity', 'is_vs_oos', 'param_drift']);
    charts.forEach(expectSelfContained);
    const c = byId(charts);
    expect(dataset(c.get('oos_equity')!, 'equity').length).toBeLessThanOrEqual(1500);
    const svg = await chartSvg(c.get('oos_equity')!.spec);
    expect((svg.match(/aria-label="[^"]*OOS from/g) ?? []).length).toBe(6);
    expect(values(c.get('is_vs_oos')!).length).toBe(11);
    const drift = values(c.get('param_drift')!);
    expect(new Set(drift.map((r) => r.param))).toEqual(new Set(['fast.period', 'slow']));
    await chartSvg(c.get('param_drift')!.spec);
  });

  it('batch: failed cells marked, labels only up to 400 cells', async () => {
    const cells = (rows: number, cols: number) =>
      Array.from({ length: rows * cols }, (_, i) => ({ row: `SYM${Math.floor(i / cols)} 1h`, column: `p=${i % cols}`, value: i % 7 === 3 ? null : Math.sin(i), status: i % 7 === 3 ? 'failed' : 'ok' }));
    const small = batchCharts({ metric: 'sharpe', cells: cells(5, 8) });
    expect(small.map((x) => x.id)).toEqual(['heatmap']);
    expectSelfContained(small[0]);
    const svg = await chartSvg(small[0].spec);
    expect(markCount(svg, 'failed_cells')).toBe(cells(5, 8).filter((x) => x.status === 'failed').length);
    expect(svg.includes('failed</text>')).toBe(true);
    expect(markCount(svg, 'labels', 'text')).toBe(40 - markCount(svg, 'failed_cells'));
    const big = batchCharts({ metric: 'sharpe', cells: cells(30, 20) });
    expectSelfContained(big[0]);
    const bigSvg = await chartSvg(big[0].spec);
    expect(markCount(bigSvg, 'failed_cells')).toBe(cells(30, 20).filter((x) => x.status === 'failed').length);
    expect(markCount(bigSvg, 'labels', 'text')).toBe(0);
    expect(batchCharts({ metric: 'sharpe', cells: [] })).toEqual([]);
  });

  it('analysis: each chart present only with its data', async () => {
    const rng = createRng(21);
    const steps = Array.from({ length: 3000 }, (_, i) => i);
    const charts = analysisCharts({
      fan: { step: steps, p5: steps.map((i) => 1 - i * 1e-4), p25: steps.map((i) => 1), p50: steps.map((i) => 1 + i * 1e-4), p75: steps.map((i) => 1 + i * 2e-4), p95: steps.map((i) => 1 + i * 4e-4) },
      drawdowns: Array.from({ length: 10_000 }, () => -5 - 30 * rng.next() ** 2),
      monthly: Array.from({ length: 30 }, (_, i) => ({ year: 2022 + Math.floor(i / 12), month: (i % 12) + 1, return_pct: rng.normal() * 4 })),
      costs: { metric: 'sharpe', points: [0, 5, 10, 20, 40].map((b) => ({ cost_bps: b, value: 1.2 - b * 0.05 })), break_even_bps: 24 },
      significance: [{ label: 'DSR', value: 0.97, threshold: 0.95 }, { label: 'PBO', value: 0.3, threshold: 0.5 }, { label: 'PSR', value: null, threshold: 0.95 }],
    });
    expect(charts.map((x) => x.id)).toEqual(['mc_fan', 'drawdown_dist', 'monthly', 'cost_sensitivity', 'significance']);
    charts.forEach(expectSelfContained);
    const c = byId(charts);
    expect(values(c.get('mc_fan')!).length).toBeLessThanOrEqual(1501);
    expect(dataset(c.get('drawdown_dist')!, 'bins').reduce((s, b) => s + (b.n as number), 0)).toBe(10_000);
    for (const x of charts) await chartSvg(x.spec);
    const monthly = await chartSvg(c.get('monthly')!.spec);
    expect(markCount(monthly, 'cells')).toBe(30);
    expect(analysisCharts({ fan: null, drawdowns: [], monthly: null, costs: null, significance: null })).toEqual([]);
    const noBe = analysisCharts({ fan: null, drawdowns: null, monthly: null, costs: { metric: 'sharpe', points: [{ cost_bps: 0, value: 1 }], break_even_bps: null }, significance: null });
    expect(noBe[0].caption).toContain('no break-even');
    expectSelfContained(noBe[0]);
  });

  it('champion: one labelled point per version coloured by action', async () => {
    const versions = [1, 2, 3, 4, 5].map((v) => ({ version: v, promoted_at: Date.UTC(2024, 0, v * 5), action: v === 4 ? 'rollback' : 'promote', reason: `because ${v}`, metric: v === 5 ? null : 1 + v / 10 }));
    const [timeline] = championCharts({ versions, metric: 'sharpe' });
    expect(timeline.id).toBe('timeline');
    expectSelfContained(timeline);
    const svg = await chartSvg(timeline.spec);
    expect(markCount(svg, 'versions')).toBe(5);
    for (const v of versions) expect(svg.includes(`>v${v.version}</text>`)).toBe(true);
    expect(svg.includes('because 4')).toBe(true);
    expect(championCharts({ versions: [], metric: 'sharpe' })).toEqual([]);
  });
});

describe('degenerate inputs', () => {
  it('empty or all-failed inputs still give valid, renderable specs', async () => {
    const empty = new Float64Array(0);
    const specs: ChartSpec[] = [
      ...backtestCharts({ time: empty, open: empty, high: empty, low: empty, close: empty, equity: empty, trades: [], open_trades: [] }),
      ...backtestCharts(backtestInput(createRng(3), 1, 0)),
      ...optimizeCharts({ objectives: [{ metric: 'sharpe', direction: 'maximize' }], trials: [], importance: null, pareto: [] }),
      ...optimizeCharts({ objectives: [{ metric: 'sharpe', direction: 'maximize' }], trials: [0, 1, 2].map((i) => ({ number: i, state: 'FAIL' as const, values: null, params: { a: i } })), importance: { a: 1 }, pareto: [] }),
      ...walkForwardCharts({ time: empty, equity: empty, windows: [] }),
      ...analysisCharts({ fan: null, drawdowns: [-3, -3], monthly: null, costs: null, significance: [{ label: 'DSR', value: null, threshold: null }] }),
      ...batchCharts({ metric: 'sharpe', cells: [{ row: 'r', column: 'c', value: null, status: 'failed' }] }),
      ...championCharts({ versions: [{ version: 1, promoted_at: Date.UTC(2024, 0, 1), action: 'promote', reason: 'first', metric: null }], metric: 'sharpe' }),
    ];
    expect(specs.length).toBeGreaterThan(10);
    for (const c of specs) {
      expectSelfContained(c);
      expect((await chartSvg(c.spec)).startsWith('<svg')).toBe(true);
    }
  });
});
