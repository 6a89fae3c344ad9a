/**
 * Named multi-output indicators: `bb: bollinger(close, n, k)` is used by its outputs
 * (`bb.lower`, `bb.middle[1]`), computing the same series as the inline form; a bare `bb`, an
 * unknown output and a bad argument are errors that say where and what is accepted.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION } from '../../../../src/engine/backtest/types.js';
import { randomWalk } from '../helpers.js';
import { compiled, errorsOf } from './helpers.js';

const PARAMS = { n: { type: 'int', default: 20, low: 10, high: 60 }, k: { type: 'float', default: 2, low: 1, high: 3 } };
const named = { name: 'bb_named', params: PARAMS, indicators: { bb: 'bollinger(close, n, k)' }, rules: { long_entry: 'close < bb.lower and close[1] >= bb.lower[1]', long_exit: 'close > bb.middle' } };
const inline = {
  name: 'bb_inline',
  params: PARAMS,
  rules: { long_entry: 'close < bollinger(close, n, k).lower and close[1] >= bollinger(close, n, k).lower[1]', long_exit: 'close > bollinger(close, n, k).middle' },
};

describe('named multi-output indicators', () => {
  it('bb.lower / bb.middle[1] give the inline form’s trades', () => {
    const candles = randomWalk(5, 3000);
    for (const p of [{ n: 20, k: 2 }, { n: 35, k: 1.4 }]) {
      const a = runBacktest(candles, compiled(named), { ...p, direction: 'long_only' } as never, DEFAULT_EXECUTION);
      const b = runBacktest(candles, compiled(inline), { ...p, direction: 'long_only' } as never, DEFAULT_EXECUTION);
      expect(a.trades.length).toBeGreaterThan(5);
      expect(a.trades).toEqual(b.trades);
      expect(a.metrics).toEqual(b.metrics);
    }
    expect(compiled(named).warmup({ n: 20, k: 2, direction: 'long_only' } as never)).toBe(compiled(inline).warmup({ n: 20, k: 2, direction: 'long_only' } as never));
  });

  it('a bare bundle, an unknown output and a bad argument are located errors', () => {
    const bare = errorsOf({ ...named, rules: { long_entry: 'close < bb' } });
    expect(bare).toHaveLength(1);
    expect(bare[0]).toMatchObject({ path: 'rules.long_entry', token: 'bb', column: 9 });
    expect(bare[0].message).toMatch(/"bb" is bollinger\(…\) with several outputs: pick one with bb\.upper, bb\.middle, bb\.lower, bb\.bandwidth/);
    const mid = errorsOf({ ...named, rules: { long_entry: 'close > bb.mid' } });
    expect(mid[0]).toMatchObject({ path: 'rules.long_entry', token: 'mid', did_you_mean: 'middle' });
    expect(mid[0].message).toMatch(/did you mean "bb\.middle"\?/);
    const arg = errorsOf({ ...named, indicators: { bb: 'bollinger(close, q, k)' } });
    expect(arg.map((e) => e.path)).toEqual(['indicators.bb']);
    expect(arg[0]).toMatchObject({ token: 'q', did_you_mean: 'n' });
    // a single-output indicator still has no outputs to pick
    expect(errorsOf({ ...named, indicators: { bb: 'sma(close, n)' } })[0].message).toMatch(/"bb" has no outputs to pick with "\.lower"/);
  });
});
