import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/random.js';
import { backtestCharts } from '../../src/report/charts/backtest.js';
import { optimizeCharts } from '../../src/report/charts/optimize.js';
import { chartPng, chartSvg } from '../../src/report/render.js';
import type { ChartSpec, TrialPoint } from '../../src/report/types.js';

function priceChart(n: number, nTrades: number): ChartSpec {
  const rng = createRng(31);
  const time = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n), close = new Float64Array(n), equity = new Float64Array(n);
  let p = 50;
  for (let i = 0; i < n; i++) {
    time[i] = Date.UTC(2023, 5, 1) + i * 300_000;
    open[i] = p;
    p *= 1 + rng.normal() * 0.003;
    close[i] = p;
    high[i] = Math.max(open[i], p) * 1.001;
    low[i] = Math.min(open[i], p) * 0.999;
    equity[i] = 1000 + i;
  }
  const trades = Array.from({ length: nTrades }, (_, k) => {
    const i = Math.floor(((k + 0.2) * n) / nTrades);
    const j = Math.min(n - 1, i + 20);
    return { direction: k % 2 ? ('short' as const) : ('long' as const), entry_time: time[i], entry_price: close[i], exit_time: time[j], exit_price: close[j], return_pct: 1, exit_reason: 'signal' };
  });
  return backtestCharts({ time, open, high, low, close, equity, trades, open_trades: [] })[0];
}

/** Distinct RGB colours in a decoded PNG (capped scan). */
function decode(buf: Buffer): { width: number; height: number; colours: number } {
  const png = PNG.sync.read(buf);
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) seen.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  return { width: png.width, height: png.height, colours: seen.size };
}

describe('chartSvg', () => {
  it('renders offline to an SVG with the theme font and a white background', async () => {
    const svg = await chartSvg(priceChart(2000, 10).spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.includes('DejaVu Sans')).toBe(true);
    expect(svg.includes('fill="white"')).toBe(true);
    expect(svg.includes('entries_marks')).toBe(true);
  });

  it('throws on an invalid spec', async () => {
    await expect(chartSvg({ mark: 'nope', data: { values: [] } })).rejects.toThrow();
  });
});

describe('chartPng', () => {
  const spec = priceChart(100_000, 120).spec;

  it('is 900 px wide by default, ≤ 200 KB and not blank', async () => {
    const t0 = performance.now();
    const buf = await chartPng(spec);
    const ms = performance.now() - t0;
    expect(buf.length).toBeLessThanOrEqual(200_000);
    const img = decode(buf);
    expect(img.width).toBe(900);
    expect(img.height).toBeGreaterThan(300);
    expect(img.colours).toBeGreaterThan(20);
    expect(ms).toBeLessThan(5000);
  });

  it('honours the width option', async () => {
    const img = decode(await chartPng(spec, { width: 600 }));
    expect(img.width).toBe(600);
  });

  it('re-renders narrower to fit a smaller byte budget, and throws when it cannot', async () => {
    const buf = await chartPng(spec, { maxBytes: 25_000 });
    expect(buf.length).toBeLessThanOrEqual(25_000);
    const img = decode(buf);
    expect(img.width).toBeLessThan(900);
    expect(img.colours).toBeGreaterThan(10);
    await expect(chartPng(spec, { maxBytes: 500 })).rejects.toThrow(/over the 500-byte limit/);
  });

  it('keeps a dense chart (500 parallel-coordinate lines) at full width within 200 KB', async () => {
    const rng = createRng(8);
    const trials: TrialPoint[] = Array.from({ length: 1500 }, (_, i) => {
      const a = rng.next() * 100, b = rng.next() * 3, c = rng.int(1, 60);
      return { number: i, state: 'COMPLETE', values: [Math.sin(a / 10) + b - c / 30 + rng.normal() * 0.1], params: { a, b, c, d: rng.next() } };
    });
    const parallel = optimizeCharts({ objectives: [{ metric: 'sharpe', direction: 'maximize' }], trials, importance: null, pareto: [] }).find((x) => x.id === 'parallel');
    const buf = await chartPng(parallel!.spec);
    expect(buf.length).toBeLessThanOrEqual(200_000);
    const img = decode(buf);
    expect(img.width).toBe(900);
    expect(img.colours).toBeGreaterThan(50);
  });
});
