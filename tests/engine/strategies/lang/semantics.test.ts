/**
 * The decision semantics of docs/strategy-language.md on hand-made series and against the
 * simulator's own options: entries only when flat, reversal by the other side's entry, an
 * entry as the exit of a side without an exit rule, conflicts, directions, sizes, confidence,
 * per-rule stops and the position state.
 */
import { describe, expect, it } from 'vitest';
import { runBacktestWithLead } from '../../../../src/engine/backtest/lead.js';
import { runBacktest } from '../../../../src/engine/backtest/run.js';
import { simulate } from '../../../../src/engine/backtest/simulate.js';
import { DEFAULT_EXECUTION, EXIT_LONG, EXIT_SHORT, type ExecutionSpec, type Signals } from '../../../../src/engine/backtest/types.js';
import type { Candles } from '../../../../src/engine/data/candles.js';
import { getStrategy } from '../../../../src/engine/strategies/registry.js';
import { candlesFrom, randomWalk } from '../helpers.js';
import { compiled } from './helpers.js';

const arr = (a: ArrayLike<number>): number[] => Array.from(a);

function signalsOf(rules: Record<string, unknown>, params: Record<string, unknown> = {}, candles: Candles = candlesFrom([5, 4, 3, 2, 3, 4, 5, 6, 5, 4, 3, 2]), extra: Record<string, unknown> = {}): Signals {
  const def = compiled({ name: 'hand', ...extra, rules });
  return def.signals(candles, def.params.parse(params), {});
}

const spec = (over: Partial<ExecutionSpec> = {}): ExecutionSpec => ({ ...DEFAULT_EXECUTION, ...over });

describe('the decision rule', () => {
  // close 5 4 3 2 3 4 5 6 5 4 3 2; close > close[1] at 4..7; close < close[1] at 1..3, 8..11
  it('an entry also exits the other side when that side has no exit rule', () => {
    const s = signalsOf({ long_entry: 'close > close[1]', short_entry: 'close < close[1]' });
    expect(s.warmup).toBe(0);
    expect(arr(s.entry)).toEqual([0, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1]);
    expect(arr(s.exit)).toEqual([0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1]);
  });

  it('with exit rules of its own a side ignores the other side\'s entries for exiting', () => {
    const s = signalsOf({ long_entry: 'close > close[1]', long_exit: 'close >= 6', short_entry: 'close < close[1]', short_exit: 'close <= 2' });
    expect(arr(s.exit)).toEqual([0, 0, 0, EXIT_SHORT, 0, 0, 0, EXIT_LONG, 0, 0, 0, EXIT_SHORT]);
  });

  it('direction filters entries, never exits: long_only turns short entries into long exits only', () => {
    const s = signalsOf({ long_entry: 'close > close[1]', short_entry: 'close < close[1]' }, { direction: 'long_only' });
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(arr(s.exit)).toEqual([0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1]);
    const so = signalsOf({ long_entry: 'close > close[1]', short_entry: 'close < close[1]' }, { direction: 'short_only' });
    expect(arr(so.entry)).toEqual([0, -1, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1]);
  });

  it('both entries on one bar is a conflict: neither enters, neither implies an exit', () => {
    const s = signalsOf({ long_entry: 'close >= 4', short_entry: 'close <= 4' });
    // close == 4 at bars 1, 5, 9
    expect(arr(s.entry)).toEqual([0, 0, -1, -1, -1, 0, 1, 1, 1, 0, -1, -1]);
    expect(arr(s.exit)).toEqual([0, 0, 1, 1, 1, 0, 2, 2, 2, 0, 1, 1]);
  });

  it('a document with only long rules is long-only; its direction parameter accepts nothing else', () => {
    const def = compiled({ name: 'x', rules: { long_entry: 'close > open' } });
    expect(def.params.parse({}).direction).toBe('long_only');
    expect(def.params.safeParse({ direction: 'long_short' }).success).toBe(false);
    expect(compiled({ name: 'x', rules: { short_entry: 'close > open' } }).params.parse({}).direction).toBe('short_only');
    expect(compiled({ name: 'x', rules: { long_entry: 'close > open', short_entry: 'close < open' } }).params.parse({}).direction).toBe('long_short');
    expect(compiled({ name: 'x', direction: 'long_only', rules: { long_entry: 'close > open', short_entry: 'close < open' } }).params.parse({}).direction).toBe('long_only');
  });

  it('constant rules: true holds on every decision bar, false never', () => {
    const s = signalsOf({ long_entry: 'true', long_exit: 'false', short_entry: 'close < 3' }, { direction: 'long_short' });
    // the long entry conflicts with the short entry where close < 3 (bars 3, 11)
    expect(arr(s.entry)).toEqual([0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(arr(s.exit)).toEqual([0, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 0]);
  });

  it('no decision before the warm-up bar w + 1; comparisons with NaN are false', () => {
    const s = signalsOf({ long_entry: 'sma(close, 3) < 100', short_entry: 'not (sma(close, 3) < 100)' });
    expect(s.warmup).toBe(2);
    expect(arr(s.entry).slice(0, 4)).toEqual([0, 0, 0, 1]);
  });

  it('entries only when flat and reversals through the simulator: the issue\'s two semantics', () => {
    const c = randomWalk(2, 400);
    // long_entry true on most bars: one long trade at a time, never pyramided
    const flat = compiled({ name: 'x', rules: { long_entry: 'close > sma(close, 5)', long_exit: 'close < sma(close, 20)' } });
    const r = runBacktest(c, flat, flat.params.parse({}), spec());
    for (let i = 1; i < r.trades.length; i++) expect(r.trades[i].entry_bar).toBeGreaterThan(r.trades[i - 1].exit_bar - 1);
    const rev = compiled({ name: 'x', rules: { long_entry: 'crosses_above(close, sma(close, 20))', short_entry: 'crosses_below(close, sma(close, 20))' } });
    const rr = runBacktest(c, rev, rev.params.parse({}), spec());
    expect(rr.trades.length).toBeGreaterThan(5);
    for (let i = 1; i < rr.trades.length; i++) {
      expect(rr.trades[i - 1].exit_reason).toBe('reversal');
      expect(rr.trades[i].entry_bar).toBe(rr.trades[i - 1].exit_bar);
      expect(rr.trades[i].direction).not.toBe(rr.trades[i - 1].direction);
    }
  });
});

describe('size and confidence', () => {
  const c = randomWalk(8, 500);

  it('a constant size is the same as the execution fraction', () => {
    const a = compiled({ name: 'x', rules: { long_entry: 'close > sma(close, 10)', long_exit: 'close < sma(close, 30)', size: 0.4 } });
    const b = compiled({ name: 'x', rules: { long_entry: 'close > sma(close, 10)', long_exit: 'close < sma(close, 30)' } });
    const ra = runBacktest(c, a, a.params.parse({}), spec());
    const rb = runBacktest(c, b, b.params.parse({}), spec({ fraction: 0.4 }));
    expect(ra.trades.length).toBeGreaterThan(5);
    expect(ra.trades).toEqual(rb.trades);
  });

  it('a risk map sizes entries by the confidence; below its first level there is no entry', () => {
    const def = compiled({
      name: 'x',
      rules: { long_entry: 'close > open', long_exit: 'close < open', confidence: 'rsi(close, 5) / 100', size: { risk_map: [[0.6, 0.5], [0.8, 1]] } },
    });
    const s = def.signals(c, def.params.parse({}), {});
    const conf = s.confidence!;
    let entries = 0;
    for (let t = s.warmup + 1; t < c.close.length; t++) {
      const want = c.close[t] > c.open[t] && conf[t] >= 0.6;
      expect(s.entry[t], `bar ${t}`).toBe(want ? 1 : 0);
      if (want) {
        entries++;
        expect(s.size![t]).toBe(conf[t] >= 0.8 ? 1 : 0.5);
      }
    }
    expect(entries).toBeGreaterThan(20);
  });

  it('confidence is clamped to [0, 1] and NaN before the warm-up', () => {
    const s = signalsOf({ long_entry: 'close > open', confidence: '(close - 3) / 2' }, {}, undefined, {});
    expect(arr(s.confidence!)).toEqual([1, 0.5, 0, 0, 0, 0.5, 1, 1, 1, 0.5, 0, 0]);
    const w = signalsOf({ long_entry: 'close > open', confidence: 'sma(close, 3) / 10' });
    expect(arr(w.confidence!).slice(0, 3)).toEqual([NaN, NaN, 0.4]);
    // the same with a size (decided bar by bar) and with the position in the confidence
    const sized = signalsOf({ long_entry: 'close > open', confidence: 'sma(close, 3) / 10', size: 0.5 });
    expect(arr(sized.confidence!)).toEqual(arr(w.confidence!));
    const stateful = signalsOf({ long_entry: 'close > open', confidence: 'sma(close, 3) / 10 + position' });
    expect(arr(stateful.confidence!)).toEqual(arr(w.confidence!));
  });
});

describe('per-rule stops', () => {
  const c = randomWalk(21, 800);

  it('a constant stop on the entry rule equals the same stop in the execution spec', () => {
    for (const [k, v] of [['stop_loss', 0.02], ['take_profit', 0.03], ['trailing_stop', 0.025]] as const) {
      const a = compiled({ name: 'x', rules: { long_entry: { when: 'crosses_above(close, sma(close, 10))', [k]: v }, long_exit: 'crosses_below(close, sma(close, 30))' } });
      const b = compiled({ name: 'x', rules: { long_entry: 'crosses_above(close, sma(close, 10))', long_exit: 'crosses_below(close, sma(close, 30))' } });
      const ra = runBacktest(c, a, a.params.parse({}), spec());
      const rb = runBacktest(c, b, b.params.parse({}), spec({ [k]: v }));
      expect(ra.trades.some((t) => t.exit_reason === k), k).toBe(true);
      expect(ra.trades, k).toEqual(rb.trades);
    }
  });

  it('long and short rules keep their own stops; an ATR stop is read at the decision bar', () => {
    const def = compiled({
      name: 'x',
      rules: {
        long_entry: { when: 'crosses_above(close, sma(close, 10))', stop_loss: '2 * atr(14) / close' },
        short_entry: { when: 'crosses_below(close, sma(close, 10))', stop_loss: 0.5, take_profit: 0.01 },
      },
    });
    const s = def.signals(c, def.params.parse({}), {});
    for (let t = s.warmup + 1; t < c.close.length; t++) {
      if (s.entry[t] === 1) expect(s.stops!.stop_loss![t]).toBeGreaterThan(0);
      if (s.entry[t] === -1) expect([s.stops!.stop_loss![t], s.stops!.take_profit![t]]).toEqual([0.5, 0.01]);
      if (s.entry[t] === 0) expect(s.stops!.stop_loss![t]).toBeNaN();
    }
    const r = runBacktest(c, def, def.params.parse({}), spec());
    expect(r.trades.filter((t) => t.direction === 'short').every((t) => t.exit_reason === 'take_profit' || t.exit_reason === 'reversal' || t.exit_reason === 'stop_loss')).toBe(true);
  });
});

describe('position state', () => {
  const c = randomWalk(5, 1000);

  it('bars_in_trade counts the entry bar: an exit at bars_in_trade >= k is max_hold_bars k', () => {
    const def = compiled({ name: 'x', params: { k: { type: 'int', default: 4, low: 1, high: 50 } }, rules: { long_entry: 'close > open', long_exit: 'bars_in_trade >= k' } });
    const plain = compiled({ name: 'x', rules: { long_entry: 'close > open' } });
    for (const k of [1, 4, 9]) {
      const r = runBacktest(c, def, def.params.parse({ k }), spec());
      const m = runBacktest(c, plain, plain.params.parse({}), spec({ max_hold_bars: k }));
      expect(r.trades.length).toBeGreaterThan(30);
      expect(r.trades.map((t) => ({ ...t, exit_reason: 'x' }))).toEqual(m.trades.map((t) => ({ ...t, exit_reason: 'x' })));
      expect(arr(r.equity)).toEqual(arr(m.equity));
    }
  });

  it('position == 0 in an entry rule changes nothing (entries happen only when flat)', () => {
    const a = compiled({ name: 'x', rules: { long_entry: 'close > sma(close, 8) and position == 0', long_exit: 'close < sma(close, 20)' } });
    const b = compiled({ name: 'x', rules: { long_entry: 'close > sma(close, 8)', long_exit: 'close < sma(close, 20)' } });
    const ra = runBacktest(c, a, a.params.parse({}), spec());
    expect(ra.trades.length).toBeGreaterThan(10);
    expect(ra.trades).toEqual(runBacktest(c, b, b.params.parse({}), spec()).trades);
  });

  it('entry_price is the fill price of the open trade: an exit 3 % under it', () => {
    const def = compiled({ name: 'x', rules: { long_entry: 'crosses_above(close, sma(close, 10))', long_exit: 'close < entry_price * 0.97 or close > entry_price * 1.05' } });
    const r = runBacktest(c, def, def.params.parse({}), spec());
    expect(r.trades.length).toBeGreaterThan(5);
    for (const t of r.trades) {
      const d = t.exit_bar - 1; // the decision bar
      expect(c.close[d] < t.entry_price * 0.97 || c.close[d] > t.entry_price * 1.05, `trade at ${t.entry_bar}`).toBe(true);
      for (let b = t.entry_bar; b < d; b++) expect(c.close[b] < t.entry_price * 0.97 || c.close[b] > t.entry_price * 1.05).toBe(false);
    }
  });

  it('past position values: enter only after 5 flat bars (bars_since is NaN until the first position: nz)', () => {
    const def = compiled({ name: 'x', rules: { long_entry: 'close > open and nz(bars_since(position != 0), 99) >= 5', long_exit: 'close < open' } });
    const r = runBacktest(c, def, def.params.parse({}), spec());
    expect(r.trades.length).toBeGreaterThan(10);
    for (let i = 1; i < r.trades.length; i++) {
      // the decision bar of the next entry is at least 5 bars after the last bar held
      expect(r.trades[i].entry_bar - 1 - (r.trades[i - 1].exit_bar - 1)).toBeGreaterThanOrEqual(5);
    }
  });

  it('a window warmed up on earlier bars (walk-forward\'s out-of-sample runs) decides on the window\'s own path', () => {
    const stateful = compiled({ name: 'x', rules: { long_entry: 'close > sma(close, 8) and position == 0', long_exit: 'close < sma(close, 20) or bars_in_trade >= 30' } });
    const columns = compiled({ name: 'x', rules: { long_entry: 'close > sma(close, 8)', long_exit: 'close < sma(close, 20)' } });
    const a = runBacktestWithLead(c, 300, 900, 100, stateful, stateful.params.parse({}), spec({ max_hold_bars: null }));
    const b = runBacktestWithLead(c, 300, 900, 100, columns, columns.params.parse({}), spec({ max_hold_bars: 30 }));
    expect(a.trades.length).toBeGreaterThan(10);
    expect(a.trades.map((t) => ({ ...t, exit_reason: t.exit_reason === 'signal' ? 'x' : t.exit_reason }))).toEqual(b.trades.map((t) => ({ ...t, exit_reason: t.exit_reason === 'signal' || t.exit_reason === 'max_hold' ? 'x' : t.exit_reason })));
  });

  it('the same signals simulated twice give the same result (the hook re-decides every bar)', () => {
    const def = compiled({ name: 'x', rules: { long_entry: 'close > open', long_exit: 'bars_in_trade >= 3 or close < entry_price * 0.99' } });
    const s = def.signals(c, def.params.parse({}), {});
    const a = simulate(c, s, spec());
    const b = simulate(c, s, spec({ commission: 0.01 }));
    const a2 = simulate(c, s, spec());
    expect(a2.trades).toEqual(a.trades);
    expect(b.trades.length).toBeGreaterThan(0);
  });
});

describe('built-in semantics, re-expressed', () => {
  it('ema_cross and the built-in agree on hand-made bars', () => {
    const def = compiled({ name: 'x', params: { f: { type: 'int', default: 2, low: 1, high: 5 } }, rules: { long_entry: 'crosses_above(ema(close, f), ema(close, 3))', short_entry: 'crosses_below(ema(close, f), ema(close, 3))' } });
    const c = candlesFrom([5, 4, 3, 2, 3, 4, 5, 6, 5, 4, 3, 2]);
    const b = getStrategy('ema_cross');
    const sb = b.signals(c, b.params.parse({ fast: 2, slow: 3, direction: 'long_short' }), {});
    const sl = def.signals(c, def.params.parse({}), {});
    expect([arr(sl.entry), arr(sl.exit), sl.warmup]).toEqual([arr(sb.entry), arr(sb.exit), sb.warmup]);
    expect(arr(sl.exit)).toContain(EXIT_SHORT);
  });
});
