import { describe, expect, it } from 'vitest';
import { Scratch } from '../../../src/engine/backtest/scratch.js';
import { runBacktest } from '../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION } from '../../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';

describe('Scratch', () => {
  it('hands out zeroed signal buffers of the asked length, reusing the memory', () => {
    const s = new Scratch();
    const a = s.signals(10);
    a.entry.fill(1);
    a.exit.fill(3);
    const b = s.signals(8);
    expect(b.entry.length).toBe(8);
    expect([...b.entry, ...b.exit].every((v) => v === 0)).toBe(true);
    expect(b.entry.buffer).toBe(a.entry.buffer);
  });

  it('grows when a longer series comes', () => {
    const s = new Scratch();
    const small = s.equity(4);
    const big = s.equity(100);
    expect(big.length).toBe(100);
    expect(big.buffer).not.toBe(small.buffer);
    expect(s.equity(50).buffer).toBe(big.buffer);
  });

  it('lends its trade log: a run on a Scratch has the same trades and metrics as a fresh run, each run starting empty', () => {
    const c = generateSynthetic({ symbol: 'X', timeframe: '1h', bars: 5000, seed: 4, start: Date.UTC(2021, 0, 1) });
    const sma = getStrategy('sma_cross');
    const scratch = new Scratch();
    for (const direction of ['long_short', 'long_only', 'long_short'] as const) {
      const p = sma.params.parse({ direction });
      const fresh = runBacktest(c, sma, p, DEFAULT_EXECUTION);
      const lent = runBacktest(c, sma, p, DEFAULT_EXECUTION, { scratch });
      expect(lent.trades).toEqual(fresh.trades);
      expect(lent.metrics).toEqual(fresh.metrics);
      expect(fresh.trades.length).toBeGreaterThan(10);
    }
  });
});

describe('a simulation result\'s trades', () => {
  it('are built on first read, reach JSON, spreads and structuredClone, and can be replaced like a plain property', () => {
    const c = generateSynthetic({ symbol: 'X', timeframe: '1h', bars: 3000, seed: 2, start: Date.UTC(2021, 0, 1) });
    const sma = getStrategy('sma_cross');
    const r = runBacktest(c, sma, sma.params.parse({ direction: 'long_short' }), DEFAULT_EXECUTION);
    expect(Object.keys(r).slice(0, 3)).toEqual(['trades', 'open_trades', 'equity']);
    const json = JSON.parse(JSON.stringify({ ...r, equity: [] })) as { trades: unknown[]; tradeLog?: unknown };
    expect(json.trades).toEqual(r.trades);
    expect(json.tradeLog).toBeUndefined();
    expect(structuredClone({ trades: r.trades }).trades).toEqual(r.trades);
    expect(r.trades).toBe(r.trades); // built once
    const fresh = runBacktest(c, sma, sma.params.parse({ direction: 'long_short' }), DEFAULT_EXECUTION) as { trades: unknown[] };
    fresh.trades = [];
    expect(fresh.trades).toEqual([]);
  });
});
