/**
 * Regime-adaptive parameter sets: the regime of each bar (the built-in classifier, or rules)
 * selects the parameter values the rules read on that bar; an open position is kept at a
 * switch; per-regime values are params (`regimes.trend.fast`) with defaults, bounds, a search
 * space and constraints.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtest/run.js';
import { simulate } from '../../../../src/engine/backtest/simulate.js';
import { DEFAULT_EXECUTION } from '../../../../src/engine/backtest/types.js';
import { mostLikelyRegime } from '../../../../src/engine/strategies/regime.js';
import { compileStrategy } from '../../../../src/engine/strategies/lang/index.js';
import { randomWalk } from '../helpers.js';
import { compiled, configText, errorsOf, seriesOf } from './helpers.js';

const c = randomWalk(13, 2500);
const arr = (a: ArrayLike<number>): number[] => Array.from(a);

const RSI = {
  name: 'rsi_by_trend',
  params: { period: { type: 'int', default: 14, low: 2, high: 50 }, lower: { type: 'float', default: 30, low: 5, high: 50 }, upper: { type: 'float', default: 70, low: 50, high: 95 } },
  regime: { up: 'close > sma(close, 50)', down: 'close <= sma(close, 50)' },
  regimes: { up: { lower: 40 }, down: { lower: 20, upper: 60 } },
  rules: { long_entry: 'rsi(close, period) < lower', long_exit: 'rsi(close, period) > upper' },
};

function plain(over: Record<string, number>) {
  const def = compiled({ ...RSI, regime: undefined, regimes: undefined });
  return def.signals(c, def.params.parse(over), {});
}

describe('parameters per regime', () => {
  it('are params with defaults and the base bounds, in the default search space by dotted path', () => {
    const def = compiled(configText('adaptive_ma_cross.yaml'));
    expect(def.params.parse({})).toEqual({ fast: 10, slow: 30, direction: 'long_short', regimes: { trend: { fast: 5, slow: 20 }, range: { fast: 20, slow: 60 } } });
    expect(def.defaultSpace).toMatchObject({ fast: { type: 'int', low: 2, high: 100 }, 'regimes.trend.fast': { type: 'int', low: 2, high: 100 }, 'regimes.range.slow': { type: 'int', low: 5, high: 400 } });
    expect(def.params.parse({ regimes: { trend: { fast: 7 } } }).regimes).toEqual({ trend: { fast: 7, slow: 20 }, range: { fast: 20, slow: 60 } });
    const own = compiled({ ...RSI, regimes: { up: { lower: { default: 40, low: 35, high: 45 } } } });
    expect(own.defaultSpace['regimes.up.lower']).toEqual({ type: 'float', low: 35, high: 45 });
    expect(own.params.safeParse({ regimes: { up: { lower: 30 } } }).success).toBe(false);
  });

  it('constraints hold in every regime\'s set, with the regime and the values in the message', () => {
    const def = compiled(configText('adaptive_ma_cross.yaml'));
    const r = def.params.safeParse({ regimes: { trend: { fast: 25 } } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['regimes', 'trend', 'fast'], message: 'constraint "fast < slow" does not hold in regime trend: fast = 25, slow = 20' });
  });

  it('on each bar the rules read the values of that bar\'s regime (rules as the source)', () => {
    const def = compiled(RSI);
    const s = def.signals(c, def.params.parse({}), {});
    const reg = def.regimeOf(c, def.params.parse({}))!;
    expect(reg.names).toEqual(['up', 'down']);
    const sets = { base: plain({}), up: plain({ lower: 40 }), down: plain({ lower: 20, upper: 60 }) };
    const above = seriesOf('close > sma(close, 50)', c).value as Uint8Array;
    const seen = new Set<string>();
    for (let t = s.warmup + 1; t < c.close.length; t++) {
      const name = t < 49 ? 'base' : above[t] ? 'up' : 'down';
      expect(reg.index[t]).toBe(name === 'base' ? -1 : reg.names.indexOf(name));
      const want = sets[name as keyof typeof sets];
      expect([s.entry[t], s.exit[t]], `bar ${t} (${name})`).toEqual([want.entry[t], want.exit[t]]);
      seen.add(name);
    }
    expect([...seen].sort()).toEqual(['base', 'down', 'up']);
    expect(s.warmup).toBe(sets.base.warmup);
  });

  it('an open position is kept at a switch and closed by the new regime\'s exit rule', () => {
    const def = compiled(RSI);
    const p = def.params.parse({});
    const r = runBacktest(c, def, p, DEFAULT_EXECUTION);
    const reg = def.regimeOf(c, p)!.index;
    // the simulator sees only entries and exits: no exit happens because of a switch
    const spanning = r.trades.filter((t) => reg.subarray(t.entry_bar, t.exit_bar).some((x) => x !== reg[t.entry_bar]));
    expect(spanning.length).toBeGreaterThan(3);
    for (const t of r.trades) {
      const d = t.exit_bar - 1;
      const upper = reg[d] === 1 ? 60 : 70;
      const rsi = seriesOf('rsi(close, 14)', c).value as Float64Array;
      expect(rsi[d], `exit of the trade entered at ${t.entry_bar} by the rule of regime ${reg[d]}`).toBeGreaterThan(upper);
    }
  });

  it('the classifier as the source: its most likely regime on each bar', () => {
    const def = compiled(configText('adaptive_ma_cross.yaml'));
    const p = def.params.parse({});
    const reg = def.regimeOf(c, p)!;
    expect(reg.names).toEqual(['trend', 'range', 'balanced']);
    const probs = { trend: seriesOf('regime.trend', c).value as Float64Array, range: seriesOf('regime.range', c).value as Float64Array, balanced: seriesOf('regime.balanced', c).value as Float64Array };
    const counts = [0, 0, 0];
    for (let t = 0; t < c.close.length; t++) {
      const r = mostLikelyRegime(probs, t);
      expect(reg.index[t]).toBe(r === undefined ? -1 : reg.names.indexOf(r));
      if (r) counts[reg.names.indexOf(r)]++;
    }
    expect(counts.every((k) => k > 50)).toBe(true);
    // balanced has no overrides: it trades the base parameters
    const s = def.signals(c, p, {});
    const base = compiled(configText('ma_cross.yaml')).signals(c, p, {});
    for (let t = s.warmup + 1; t < c.close.length; t++) if (reg.index[t] === 2) expect(s.entry[t]).toBe(base.entry[t]);
    expect(simulate(c, s, DEFAULT_EXECUTION).trades.length).toBeGreaterThan(20);
  });

  it('the same overrides in every regime are just other parameters', () => {
    const all = { trend: { fast: 7, slow: 40 }, range: { fast: 7, slow: 40 }, balanced: { fast: 7, slow: 40 } };
    const adaptive = compiled({ name: 'x', params: { fast: { type: 'int', default: 10, low: 2, high: 100 }, slow: { type: 'int', default: 30, low: 5, high: 400 } }, regimes: all, rules: { long_entry: 'crosses_above(sma(close, fast), sma(close, slow))', short_entry: 'crosses_below(sma(close, fast), sma(close, slow))' } });
    const fixed = compiled(configText('ma_cross.yaml'));
    const a = runBacktest(c, adaptive, adaptive.params.parse({}), DEFAULT_EXECUTION);
    const f = runBacktest(c, fixed, fixed.params.parse({ fast: 7, slow: 40 }), DEFAULT_EXECUTION);
    // the classifier is valid from bar 27, before the first decision (bar 40): no bar uses the base set
    expect(a.trades).toEqual(f.trades);
    expect(arr(a.equity)).toEqual(arr(f.equity));
  });
});

describe('regime errors', () => {
  it('unknown regimes, undeclared or mistyped overrides, position-dependent regime rules', () => {
    expect(errorsOf({ ...RSI, regime: undefined, regimes: { trnd: { lower: 40 } } })[0]).toMatchObject({ path: 'regimes.trnd', did_you_mean: 'trend' });
    expect(errorsOf({ ...RSI, regimes: { up: { lowr: 40 } } })[0]).toMatchObject({ path: 'regimes.up.lowr', did_you_mean: 'lower' });
    expect(errorsOf({ ...RSI, regimes: { up: { period: 2.5 } } })[0].message).toContain('period is an int parameter; got 2.5');
    expect(errorsOf({ ...RSI, regimes: { up: { lower: 80 } } })[0].message).toBe('lower in regime up must be within [5, 50], got 80');
    expect(errorsOf({ ...RSI, regime: { flat: 'position == 0' }, regimes: {} })[0].message).toContain('cannot depend on the position');
    expect(errorsOf({ ...RSI, regime: 'hmm' })[0]).toMatchObject({ path: 'regime' });
  });

  it('the canonical document keeps the order of regime rules (first true wins)', () => {
    const a = compileStrategy(RSI);
    const b = compileStrategy({ ...RSI, regime: { down: 'close <= sma(close, 50)', up: 'close > sma(close, 50)' } });
    expect(a.ok && b.ok && a.hash !== b.hash).toBe(true);
    if (!a.ok) return;
    const again = compileStrategy(JSON.parse(JSON.stringify(a.canonical)));
    expect(again.ok && again.hash).toBe(a.hash);
    expect(again.ok && again.def.program.regimeNames).toEqual(['up', 'down']);
  });
});
