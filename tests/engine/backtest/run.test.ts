/** runBacktest wiring: strategy → simulate → metrics, and the `direction` param override. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { directionParam, runBacktest } from '../../../src/engine/backtest/run.js';
import { simulate } from '../../../src/engine/backtest/simulate.js';
import type { Candles, Signals } from '../../../src/engine/backtest/types.js';
import type { StrategyDef } from '../../../src/engine/strategies/types.js';
import { bars, flat, signals, spec } from './fixtures.js';

interface P {
  direction?: string;
}

/** Emits a short entry at bar 1 and a long entry at bar 3, whatever its params. */
const toy: StrategyDef<P> = {
  name: 'toy',
  description: 'fixed signals for tests',
  params: z.object({ direction: z.string().optional() }),
  defaultSpace: {},
  warmup: () => 0,
  signals: (c: Candles): Signals => signals(c.time.length, { entries: { 1: -1, 3: 1 } }),
};

const c = bars([flat(100), flat(100), flat(90), flat(80), flat(85), flat(90)]);

describe('runBacktest', () => {
  it('returns the simulation plus metrics and warnings', () => {
    const r = runBacktest(c, toy, {}, spec());
    const sim = simulate(c, toy.signals(c, {}, {}), spec());
    expect(r.trades).toEqual(sim.trades);
    expect(Array.from(r.equity)).toEqual(Array.from(sim.equity));
    expect(r.metrics.trades).toBe(1);
    expect(r.metrics.return_pct).toBeCloseTo((r.equity[5] / 1000 - 1) * 100, 12);
    expect(Array.isArray(r.warnings)).toBe(true);
  });

  it('a `direction` param overrides spec.direction', () => {
    const both = runBacktest(c, toy, {}, spec());
    expect(both.trades[0].direction).toBe('short');
    const longOnly = runBacktest(c, toy, { direction: 'long_only' }, spec());
    expect(longOnly.trades).toHaveLength(0);
    expect(longOnly.open_trades[0].direction).toBe('long');
    expect(longOnly.open_trades[0].entry_bar).toBe(4);
  });

  it('directionParam accepts only valid directions', () => {
    expect(directionParam({ direction: 'short_only' })).toBe('short_only');
    expect(directionParam({ direction: 'sideways' })).toBeUndefined();
    expect(directionParam(null)).toBeUndefined();
    expect(directionParam(3)).toBeUndefined();
  });
});

describe('input checks name the field', () => {
  it('mismatched signal length', () => {
    expect(() => simulate(c, signals(3), spec())).toThrow(/signals\.entry/);
  });
  it('bad warm-up and bad spec values', () => {
    expect(() => simulate(c, { ...signals(6), warmup: -1 }, spec())).toThrow(/signals\.warmup/);
    expect(() => simulate(c, signals(6), spec({ commission: 2 }))).toThrow(/spec\.commission/);
    expect(() => simulate(c, signals(6), spec({ stop_loss: 0 }))).toThrow(/spec\.stop_loss/);
    expect(() => simulate(c, signals(6), spec({ max_hold_bars: 1.5 }))).toThrow(/spec\.max_hold_bars/);
  });
});

describe('edge sizes', () => {
  it('a warm-up beyond the data: no decisions, flat equity', () => {
    const sim = simulate(c, { ...signals(6, { entries: { 1: 1, 2: 1 } }), warmup: 10 }, spec());
    expect(sim.trades).toHaveLength(0);
    expect(sim.open_trades).toHaveLength(0);
    expect(Array.from(sim.equity)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  });

  it('no bars at all', () => {
    const empty = bars([]);
    const r = runBacktest(empty, toy, {}, spec());
    expect(r.equity.length).toBe(0);
    expect(r.warnings.join(' ')).toMatch(/no bars/);
  });
});
