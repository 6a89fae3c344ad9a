import type { Candles } from '../../src/engine/data/candles.js';

/** A small deterministic candle series for storage tests (not a market model). */
export function makeCandles(n: number, opts: { symbol?: string; timeframe?: string; start?: number; step?: number; shift?: number } = {}): Candles {
  const start = opts.start ?? Date.UTC(2024, 0, 1);
  const step = opts.step ?? 3_600_000;
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    time[i] = start + i * step;
    const base = 100 + 10 * Math.sin(i / 50) + (opts.shift ?? 0);
    open[i] = base;
    close[i] = base + Math.cos(i / 7);
    high[i] = Math.max(open[i], close[i]) + 0.5;
    low[i] = Math.min(open[i], close[i]) - 0.5;
    volume[i] = 1000 + (i % 17);
  }
  return { symbol: opts.symbol ?? 'TEST', timeframe: opts.timeframe ?? '1h', time, open, high, low, close, volume };
}
