/**
 * Hand-worked fills (EXECUTION.md §1–§2, default profile unless stated): next-open market
 * fills, fees on both sides, slippage against the trader, sizing, reversal from freed
 * equity, direction filters and skipped orders. Every expected number is derived by hand
 * in the comments from the rules, not copied from the implementation.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/engine/backtest/simulate.js';
import { SKIP_REASONS } from '../../../src/engine/backtest/types.js';
import { bars, flat, signals, spec } from './fixtures.js';

const close = (a: number, b: number): void => {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
};

describe('market fills and fees (default profile)', () => {
  // Bars: 100, 100, entry bar 2 opens 100 and closes 110, bar 3 opens 120.
  const c = bars([flat(100), flat(100), [100, 110, 100, 110], flat(120), flat(120)]);

  it('fills a signal of bar t at Open[t+1] and charges the fee on entry and on exit', () => {
    const sim = simulate(c, signals(5, { entries: { 1: 1 }, exits: { 2: 1 } }), spec({ commission: 0.01 }));
    expect(sim.trades).toHaveLength(1);
    const t = sim.trades[0];
    // all-in with the entry fee reserved: u = 1000 / (100 · 1.01)
    const u = 1000 / 101;
    expect(t.entry_bar).toBe(2);
    expect(t.exit_bar).toBe(3);
    expect(t.entry_price).toBe(100);
    expect(t.exit_price).toBe(120);
    close(t.size, u);
    close(t.fees, u * 100 * 0.01 + u * 120 * 0.01); // 2.2·u
    close(t.pnl, u * 20 - u * 2.2); // 17.8·u
    close(t.return_pct, 17.8); // (120/100 − 1) − 2.2u/(100u) = 0.178
    expect(t.exit_reason).toBe('signal');
    // equity: cash until the fill, then cash − fee + u·(close − entry)
    expect(Array.from(sim.equity.subarray(0, 2))).toEqual([1000, 1000]);
    close(sim.equity[2], 1000 - u + 10 * u);
    close(sim.equity[4], 1000 + 17.8 * u);
  });

  it('ignores a signal before the first decision bar w+1', () => {
    const sim = simulate(c, signals(5, { entries: { 0: 1 }, warmup: 0 }), spec());
    expect(sim.trades).toHaveLength(0);
    expect(sim.open_trades).toHaveLength(0);
  });

  it('adds a fixed fee per filled order and reserves it in the all-in size', () => {
    const sim = simulate(c, signals(5, { entries: { 1: 1 }, exits: { 2: 1 } }), spec({ fixed_fee: 5 }));
    const t = sim.trades[0];
    close(t.size, (1000 - 5) / 100);
    close(t.fees, 10);
    close(t.pnl, 9.95 * 20 - 10);
  });

  it('sizes from signals.size when given', () => {
    const sim = simulate(c, signals(5, { entries: { 1: 1 }, exits: { 2: 1 }, size: { 1: 0.5 } }), spec());
    close(sim.trades[0].size, 5); // 0.5 · 1000 / 100
  });

  it('buys fixed units when spec.units is set', () => {
    const sim = simulate(c, signals(5, { entries: { 1: 1 }, exits: { 2: 1 } }), spec({ units: 3 }));
    expect(sim.trades[0].size).toBe(3);
    close(sim.trades[0].pnl, 60);
  });
});

describe('slippage (default profile) goes against the trader', () => {
  const c = bars([flat(100), flat(100), flat(100), flat(120), flat(90)]);

  it('long: buys above the open, sells below it', () => {
    const sim = simulate(c, signals(5, { entries: { 1: 1 }, exits: { 2: 1 } }), spec({ slippage_bps: 100 }));
    const t = sim.trades[0];
    close(t.entry_price, 101);
    close(t.exit_price, 118.8);
    close(t.size, 1000 / 101);
  });

  it('short: sells below the open, buys back above it', () => {
    const cs = bars([flat(100), flat(100), flat(100), flat(90), flat(90)]);
    const sim = simulate(cs, signals(5, { entries: { 1: -1 }, exits: { 2: 2 } }), spec({ slippage_bps: 100 }));
    const t = sim.trades[0];
    expect(t.direction).toBe('short');
    close(t.entry_price, 99);
    close(t.exit_price, 90.9);
    close(t.pnl, (1000 / 99) * (99 - 90.9));
  });

  it('is not applied by the backtesting.py profile', () => {
    const sim = simulate(c, signals(5, { entries: { 1: 1 }, exits: { 2: 1 } }), spec({ slippage_bps: 100, profile: 'backtesting.py' }));
    expect(sim.trades[0].entry_price).toBe(100);
    expect(sim.trades[0].exit_price).toBe(120);
  });
});

describe('reversal: close first, then size from the freed equity', () => {
  it('sizes the short from the cash left after closing the long (fees included)', () => {
    const c = bars([flat(100), flat(100), [100, 110, 100, 110], flat(120), flat(120)]);
    const sim = simulate(c, signals(5, { entries: { 1: 1, 2: -1 } }), spec({ commission: 0.01 }));
    expect(sim.trades).toHaveLength(1);
    expect(sim.trades[0].exit_reason).toBe('reversal');
    expect(sim.trades[0].exit_bar).toBe(3);
    // long u1 = 1000/101; cash after entry 1000 − u1; after closing at 120: + 20·u1 − 1.2·u1
    const u1 = 1000 / 101;
    const freed = 1000 - u1 + 18.8 * u1; // = 1000 · 118.8 / 101
    const short = sim.open_trades[0];
    expect(short.direction).toBe('short');
    expect(short.entry_bar).toBe(3);
    close(short.size, freed / (120 * 1.01));
  });
});

describe('direction filter', () => {
  const c = bars([flat(100), flat(100), flat(101), flat(102), flat(103), flat(104), flat(105), flat(106)]);

  it('long_only: a short entry while flat does nothing; against a long it only closes', () => {
    const sim = simulate(c, signals(8, { entries: { 1: -1, 3: 1, 5: -1 } }), spec({ direction: 'long_only' }));
    expect(sim.trades).toHaveLength(1);
    expect(sim.trades[0]).toMatchObject({ direction: 'long', entry_bar: 4, exit_bar: 6, exit_reason: 'signal' });
    expect(sim.open_trades).toHaveLength(0);
  });

  it('short_only mirrors it', () => {
    const sim = simulate(c, signals(8, { entries: { 1: 1, 3: -1, 5: 1 } }), spec({ direction: 'short_only' }));
    expect(sim.trades).toHaveLength(1);
    expect(sim.trades[0]).toMatchObject({ direction: 'short', entry_bar: 4, exit_bar: 6, exit_reason: 'signal' });
    expect(sim.open_trades).toHaveLength(0);
  });

  it('an entry in the direction already held is ignored (no pyramiding)', () => {
    const sim = simulate(c, signals(8, { entries: { 1: 1, 3: 1 } }), spec());
    expect(sim.trades).toHaveLength(0);
    expect(sim.open_trades).toHaveLength(1);
    expect(sim.open_trades[0].entry_bar).toBe(2);
  });
});

describe('skipped orders are reported, not dropped', () => {
  it('whole units that cost more than the cash round to zero', () => {
    const c = bars([flat(150), flat(150), flat(150), flat(150)]);
    const sim = simulate(c, signals(4, { entries: { 1: 1 } }), spec({ cash: 100, whole_units: true }));
    expect(sim.trades).toHaveLength(0);
    expect(sim.open_trades).toHaveLength(0);
    expect(sim.skipped).toHaveLength(1);
    expect(sim.skipped[0]).toMatchObject({ bar: 2, time: c.time[2], side: 'long', reason: SKIP_REASONS.sizeZero });
    expect(Array.from(sim.equity)).toEqual([100, 100, 100, 100]);
  });

  it('fixed units above the cash are skipped for insufficient cash', () => {
    const c = bars([flat(60), flat(60), flat(60), flat(60)]);
    const sim = simulate(c, signals(4, { entries: { 1: -1 } }), spec({ cash: 100, units: 2 }));
    expect(sim.skipped).toEqual([expect.objectContaining({ bar: 2, side: 'short', reason: SKIP_REASONS.noCash })]);
  });

  it('backtesting.py profile: the price above the cash gives zero whole units', () => {
    const c = bars([flat(150), flat(150), flat(150), flat(150)]);
    const sim = simulate(c, signals(4, { entries: { 1: 1 } }), spec({ cash: 100, profile: 'backtesting.py' }));
    expect(sim.skipped.map((s) => s.reason)).toEqual([SKIP_REASONS.sizeZero]);
  });
});

describe('backtesting.py profile sizing', () => {
  it('buys ⌊cash·(1−ε)/P⌋ whole units: 9, not 10, at exactly 1000/100', () => {
    const c = bars([flat(100), flat(100), flat(100), flat(100)]);
    const sim = simulate(c, signals(4, { entries: { 1: 1 } }), spec({ profile: 'backtesting.py' }));
    expect(sim.open_trades[0].size).toBe(9);
  });

  it('floors the all-in size with the fee in the unit price', () => {
    // ⌊10000·(1−ε) / (101 · 1.002)⌋ = ⌊98.81…⌋ = 98
    const c = bars([flat(100), flat(100), flat(101), flat(101)]);
    const sim = simulate(c, signals(4, { entries: { 1: 1 } }), spec({ cash: 10_000, commission: 0.002, profile: 'backtesting.py' }));
    expect(sim.open_trades[0].size).toBe(98);
    close(sim.open_trades[0].fees, 98 * 101 * 0.002);
  });
});
