/**
 * The language's functions over whole columns: every indicator is the engine's own function
 * (bit-identical, shared cache keys with the built-ins), its declared warm-up is where it
 * becomes valid, and the column kernels agree with the per-bar evaluator on random expressions.
 */
import { describe, expect, it } from 'vitest';
import { adx, atr, bollinger, donchian, ema, keltner, macd, obv, rma, roc, rollingMax, rollingMin, rollingStd, rsi, sma, stochastic, trueRange, wma, zscore } from '../../../../src/engine/indicators/index.js';
import { firstValid, skipLeadingNaNs } from '../../../../src/engine/indicators/util.js';
import { createRng } from '../../../../src/engine/random.js';
import { getStrategy } from '../../../../src/engine/strategies/registry.js';
import { Checker } from '../../../../src/engine/strategies/lang/check.js';
import { INDICATORS } from '../../../../src/engine/strategies/lang/indicators.js';
import { newEnv } from '../../../../src/engine/strategies/lang/kernels.js';
import { parseExpression } from '../../../../src/engine/strategies/lang/parser.js';
import { BarProgram } from '../../../../src/engine/strategies/lang/state.js';
import { validFrom } from '../../../../src/engine/strategies/lang/warmup.js';
import { MapIndicatorCache } from '../../../../src/engine/strategies/types.js';
import { SpyCache, candlesFrom, randomWalk } from '../helpers.js';
import { compiled, configText, seriesOf } from './helpers.js';

const c = randomWalk(11, 600);
const { high, low, close, volume } = c;
const F = (v: unknown): number[] => Array.from(v as Float64Array);

describe('indicators are the engine\'s own functions', () => {
  it.each([
    ['sma(close, 7)', () => sma(close, 7)],
    ['ema(high, 9)', () => ema(high, 9)],
    ['wma(low, 5)', () => wma(low, 5)],
    ['rma(close, 6)', () => rma(close, 6)],
    ['rsi(close, 14)', () => rsi(close, 14)],
    ['roc(close, 3)', () => roc(close, 3)],
    ['zscore(close, 20)', () => zscore(close, 20)],
    ['stdev(close, 20)', () => rollingStd(close, 20, 0)],
    ['highest(high, 20)', () => rollingMax(high, 20)],
    ['lowest(low, 20)', () => rollingMin(low, 20)],
    ['bollinger(close, 20, 2).upper', () => bollinger(close, 20, 2).upper],
    ['bollinger(close, 20, 2.5).lower', () => bollinger(close, 20, 2.5).lower],
    ['macd(close, 12, 26, 9).line', () => macd(close, 12, 26, 9).macd],
    ['macd(close, 12, 26, 9).signal', () => macd(close, 12, 26, 9).signal],
    ['macd(close, 12, 26, 9).hist', () => macd(close, 12, 26, 9).histogram],
    ['atr(14)', () => atr(high, low, close, 14)],
    ['adx(14)', () => adx(high, low, close, 14).adx],
    ['adx(10).plus_di', () => adx(high, low, close, 10).plusDi],
    ['donchian(20).upper', () => donchian(high, low, 20).upper],
    ['donchian(20).middle', () => donchian(high, low, 20).middle],
    ['keltner(20, 2).upper', () => keltner(high, low, close, 20, 2).upper],
    ['keltner(20, 1.5, 14).lower', () => keltner(high, low, close, 20, 1.5, 14).lower],
    ['stochastic(14, 3).k', () => stochastic(high, low, close, 14, 3).k],
    ['stochastic(14, 3, 3).d', () => stochastic(high, low, close, 14, 3, 3).d],
    ['obv()', () => obv(close, volume)],
    ['true_range()', () => trueRange(high, low, close)],
    ['sma(rsi(close, 14), 5)', () => skipLeadingNaNs(rsi(close, 14), (t) => sma(t, 5))],
    ['rsi(sma(close, 5), 14)', () => skipLeadingNaNs(sma(close, 5), (t) => rsi(t, 14))],
    ['ema(close - open, 4)', () => ema(close.map((x, i) => x - c.open[i]), 4)],
  ])('%s', (expr, want) => {
    expect(F(seriesOf(expr, c).value)).toEqual(F(want()));
  });

  it('bollinger bandwidth and regime probabilities are the confidence strategy\'s', () => {
    const bb = bollinger(close, 20, 2);
    expect(F(seriesOf('bollinger(close, 20, 2).bandwidth', c).value)).toEqual(F(bb.upper.map((u, i) => (u - bb.lower[i]) / bb.middle[i])));
    const cache = new MapIndicatorCache();
    const conf = getStrategy('confidence');
    conf.signals(c, conf.params.parse({}), { cache });
    // the strategy's series start at its own (later) warm-up; from there they are the same
    for (const r of ['trend', 'range', 'balanced']) {
      const theirs = cache.get(`confidence.${r}:12:26:9:14:14:20:14:20:2:100`)!;
      const from = firstValid(theirs);
      expect(from).toBe(118);
      expect(F(seriesOf(`regime.${r}`, c).value).slice(from), r).toEqual(F(theirs).slice(from));
      expect(firstValid(seriesOf(`regime.${r}`, c).value as Float64Array)).toBe(27);
    }
  });

  it('the declared warm-up of every indicator and output is its first valid bar', () => {
    const rng = createRng(3);
    const int = (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));
    for (let k = 0; k < 200; k++) {
      const spec = INDICATORS[k % INDICATORS.length];
      const args = spec.args.map((a) => (a.kind === 'series' ? (k % 3 === 0 ? `sma(close, ${int(1, 9)})` : 'close') : a.kind === 'period' ? String(int(a.min ?? 1, 40)) : '1.5'));
      for (const out of spec.outputs ?? [null]) {
        const expr = `${spec.name}(${args.join(', ')})${out ? `.${out}` : ''}`;
        const node = new Checker({ params: new Map(), indicatorNames: [], resolveIndicator: () => undefined as never }).check(parseExpression(expr));
        const { value } = seriesOf(expr, c);
        expect(validFrom(node, {}), expr).toBe(firstValid(value as Float64Array));
      }
    }
  });
});

describe('the indicator cache', () => {
  it('a language strategy reuses the arrays a built-in cached (same keys)', () => {
    const pairs: [string, Record<string, unknown>, string, Record<string, unknown>][] = [
      ['sma_cross', { fast: 10, slow: 30 }, 'ma_cross.yaml', { fast: 10, slow: 30 }],
      ['rsi_reversion', { period: 14 }, 'rsi_levels.yaml', { period: 14 }],
      ['bollinger_reversion', { period: 20, k: 2 }, 'bollinger_reversion_lang.yaml', { period: 20, k: 2 }],
      ['macd_trend', { fast: 12, slow: 26, signal: 9 }, 'macd_trend_lang.yaml', { fast: 12, slow: 26, signal: 9 }],
      ['donchian_breakout', { entry_period: 20, exit_period: 10 }, 'donchian_breakout_lang.yaml', { entry_period: 20, exit_period: 10 }],
      ['ema_cross', { fast: 8, slow: 21 }, 'ema_cross_lang.yaml', { fast: 8, slow: 21 }],
    ];
    for (const [builtin, bp, file, lp] of pairs) {
      const cache = new SpyCache();
      const b = getStrategy(builtin);
      b.signals(c, b.params.parse(bp), { cache });
      const setsBefore = cache.sets;
      const def = compiled(configText(file));
      def.signals(c, def.params.parse(lp), { cache });
      expect(cache.sets, `${file} computed nothing ${builtin} had cached`).toBe(setsBefore);
    }
  });

  it('each indicator is computed once per distinct argument set, within a call and across calls', () => {
    const def = compiled({
      name: 'repeat',
      params: { n: { type: 'int', default: 10, low: 2, high: 50 } },
      indicators: { a: 'sma(close, n)', b: 'sma(close, 10) * 2' },
      rules: { long_entry: 'crosses_above(close, sma(close, n)) and a > 0', long_exit: 'close < sma(close, n) and b > 0' },
    });
    const cache = new SpyCache();
    def.signals(c, def.params.parse({}), { cache });
    expect(cache.sets).toBe(1);
    expect([...cache.map.keys()]).toEqual(['sma:close:10']);
    def.signals(c, def.params.parse({}), { cache });
    expect(cache.sets).toBe(1);
  });
});

describe('column kernels', () => {
  const small = candlesFrom([5, 4, 3, 2, 3, 4, 5, 6, 5, 4, 3, 2]);

  it('offsets, crosses, bars_since, if, nz, min/max and NaN comparisons, by hand', () => {
    expect(F(seriesOf('close[2]', small).value).slice(0, 4)).toEqual([NaN, NaN, 5, 4]);
    // sma(close, 2) = -, 4.5, 3.5, 2.5, 2.5, 3.5, 4.5, 5.5, 5.5, 4.5, 3.5, 2.5
    expect(Array.from(seriesOf('crosses_above(close, sma(close, 2))', small).value as Uint8Array)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(seriesOf('crosses_below(close, 4.5)', small).value as Uint8Array)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(F(seriesOf('bars_since(close > 4)', small).value)).toEqual([0, 1, 2, 3, 4, 5, 0, 0, 0, 1, 2, 3]);
    expect(F(seriesOf('bars_since(close < 4)', small).value)).toEqual([NaN, NaN, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0]);
    expect(F(seriesOf('if(close > 4, close, -close)', small).value)).toEqual([5, -4, -3, -2, -3, -4, 5, 6, 5, -4, -3, -2]);
    expect(F(seriesOf('nz(close[1], 0)', small).value).slice(0, 3)).toEqual([0, 5, 4]);
    expect(F(seriesOf('max(close, 4)', small).value).slice(0, 4)).toEqual([5, 4, 4, 4]);
    // NaN (warm-up) compares false both ways; `not` of that is true
    expect(Array.from(seriesOf('sma(close, 3) < 100', small).value as Uint8Array).slice(0, 3)).toEqual([0, 0, 1]);
    expect(Array.from(seriesOf('sma(close, 3) >= 100', small).value as Uint8Array).slice(0, 3)).toEqual([0, 0, 0]);
    expect(Array.from(seriesOf('not (sma(close, 3) < 100)', small).value as Uint8Array).slice(0, 3)).toEqual([1, 1, 0]);
  });

  it('agree with the per-bar evaluator on 300 random expressions', () => {
    const rng = createRng(9);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
    const num = (d: number): string => {
      if (d <= 0) return pick(['close', 'open', 'high', 'volume', '2', '0.5', 'sma(close, 3)', 'rsi(close, 5)', 'close[1]', 'n']);
      return pick([
        () => `${num(d - 1)} ${pick(['+', '-', '*', '/', '%'])} ${num(d - 1)}`,
        () => `-${num(d - 1)}`,
        () => `${pick(['abs', 'sqrt', 'log', 'exp', 'floor', 'round'])}(${num(d - 1)})`,
        () => `${pick(['min', 'max'])}(${num(d - 1)}, ${num(d - 1)})`,
        () => `nz(${num(d - 1)}, 1)`,
        () => `if(${cond(d - 1)}, ${num(d - 1)}, ${num(d - 1)})`,
        () => `bars_since(${cond(d - 1)})`,
        () => `(${num(d - 1)})[${pick(['0', '1', '3'])}]`,
      ])();
    };
    const cond = (d: number): string => {
      if (d <= 0) return pick(['close > open', 'volume >= 1', 'true']);
      return pick([
        () => `${num(d - 1)} ${pick(['<', '<=', '>', '>=', '==', '!='])} ${num(d - 1)}`,
        () => `${cond(d - 1)} ${pick(['and', 'or'])} ${cond(d - 1)}`,
        () => `not ${cond(d - 1)}`,
        () => `${pick(['crosses_above', 'crosses_below'])}(${num(d - 1)}, ${num(d - 1)})`,
        () => `(${cond(d - 1)})[2]`,
      ])();
    };
    const bars = randomWalk(4, 80);
    for (let k = 0; k < 300; k++) {
      const isCond = k % 2 === 0;
      const text = isCond ? cond(3) : num(3);
      let checked;
      try {
        checked = new Checker({ params: new Map([['n', { type: 'int', low: 2, high: 2 }]]), indicatorNames: [], resolveIndicator: () => undefined as never }).check(parseExpression(text));
      } catch {
        continue; // e.g. crosses of two constants
      }
      const { value } = seriesOf(text, bars, { n: 2 });
      // the same tree, made position-dependent, through the per-bar evaluator (flat: position = 0)
      const stateText = isCond ? `(${text}) or position != 0` : `(${text}) + position`;
      const stateNode = new Checker({ params: new Map([['n', { type: 'int', low: 2, high: 2 }]]), indicatorNames: [], resolveIndicator: () => undefined as never }).check(parseExpression(stateText));
      const prog = new BarProgram(newEnv(bars, {}), 80);
      const [buf, stride] = prog.lane(stateNode, { n: 2 });
      for (let t = 0; t < 80; t++) prog.run(t);
      const cols = typeof value === 'number' ? Array(80).fill(value) : Array.from(value);
      // (+ 0 turns −0 into 0: adding position = 0 does the same on the per-bar side)
      const perBar = Array.from({ length: 80 }, (_, t) => buf[t * stride] + 0);
      expect(perBar, `${text}`).toEqual(cols.map((x) => Number(x) + 0));
      expect(checked.ty.kind).toBe(isCond ? 'bool' : 'num');
    }
  });
});
