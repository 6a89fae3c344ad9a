/**
 * Contract for every registered strategy: no look-ahead (prefix invariance), warm-up = first
 * bar where all used indicators are valid, no decision before it, and the indicator cache is
 * used (a second call computes nothing).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Signals } from '../../../src/engine/backtest/types.js';
import { sliceBars, type Candles } from '../../../src/engine/data/candles.js';
import { adx, atr, bollinger, ema, macd, rollingMax, rollingMin, rsi, sma, zscore } from '../../../src/engine/indicators/index.js';
import { STRATEGIES, getStrategy } from '../../../src/engine/strategies/registry.js';
import type { StrategyContext } from '../../../src/engine/strategies/types.js';
import { SpyCache, firstValidIndex, pointOf, randomWalk } from './helpers.js';

type P = Record<string, unknown>;
const num = (p: P, k: string): number => p[k] as number;

/** The indicator arrays each strategy uses, computed here straight from the indicator module. */
const USED: Record<string, (c: Candles, p: P) => Float64Array[]> = {
  sma_cross: (c, p) => [sma(c.close, num(p, 'fast')), sma(c.close, num(p, 'slow'))],
  ema_cross: (c, p) => [ema(c.close, num(p, 'fast')), ema(c.close, num(p, 'slow'))],
  rsi_reversion: (c, p) => [rsi(c.close, num(p, 'period'))],
  bollinger_reversion: (c, p) => Object.values(bollinger(c.close, num(p, 'period'), num(p, 'k'))),
  macd_trend: (c, p) => {
    const m = macd(c.close, num(p, 'fast'), num(p, 'slow'), num(p, 'signal'));
    return [m.macd, m.signal];
  },
  donchian_breakout: (c, p) => [
    rollingMax(c.high, num(p, 'entry_period')),
    rollingMin(c.low, num(p, 'entry_period')),
    rollingMax(c.high, num(p, 'exit_period')),
    rollingMin(c.low, num(p, 'exit_period')),
  ],
  confidence: (c, p) => {
    const bb = bollinger(c.close, num(p, 'bb_period'), num(p, 'bb_k'));
    const bw = bb.upper.map((u, i) => (u - bb.lower[i]) / bb.middle[i]);
    return [
      macd(c.close, num(p, 'macd_fast'), num(p, 'macd_slow'), num(p, 'macd_signal')).histogram,
      atr(c.high, c.low, c.close, num(p, 'atr_period')),
      rsi(c.close, num(p, 'rsi_period')),
      zscore(c.close, num(p, 'zscore_period')),
      adx(c.high, c.low, c.close, num(p, 'adx_period')).adx,
      zscore(bw, num(p, 'regime_lookback')),
    ];
  },
};

/** Params with short enough warm-ups for a few hundred bars, trading both sides. */
const TEST_PARAMS: Record<string, P> = {
  sma_cross: { fast: 5, slow: 20, direction: 'long_short' },
  ema_cross: { fast: 5, slow: 20, direction: 'long_short' },
  rsi_reversion: { period: 6, lower: 35, upper: 65, direction: 'long_short' },
  bollinger_reversion: { period: 12, k: 1.5, direction: 'long_short' },
  macd_trend: { fast: 6, slow: 13, signal: 5, direction: 'long_short' },
  donchian_breakout: { entry_period: 15, exit_period: 7, direction: 'long_short' },
  confidence: {
    direction: 'long_short',
    regime_lookback: 40,
    thresholds: { entry_conf_overall: 0.55, regime_proba: { trend: 0.34, range: 0.34, balanced: 0.34 } },
    exit_conf_threshold: 0.5,
    risk_map: [[0.55, 0.5], [0.6, 1]],
  },
};

function expectPrefix(full: Signals, part: Signals, k: number, label: string): void {
  expect(Array.from(part.entry), `${label} entry k=${k}`).toEqual(Array.from(full.entry.subarray(0, k)));
  expect(Array.from(part.exit), `${label} exit k=${k}`).toEqual(Array.from(full.exit.subarray(0, k)));
  for (const key of ['size', 'confidence'] as const) {
    const f = full[key];
    const q = part[key];
    expect(q === undefined, `${label} ${key} presence`).toBe(f === undefined);
    if (f && q) expect(Array.from(q), `${label} ${key} k=${k}`).toEqual(Array.from(f.subarray(0, k)));
  }
  if (k > full.warmup) expect(part.warmup, `${label} warmup k=${k}`).toBe(full.warmup);
}

describe.each(Object.keys(STRATEGIES))('%s contract', (name) => {
  const def = getStrategy(name);
  const params = def.params.parse(TEST_PARAMS[name] ?? {}) as P;
  const candles = randomWalk(20240607, 320);
  const none: StrategyContext = {};

  it('has test params and a list of used indicators', () => {
    expect(TEST_PARAMS[name], 'add the new strategy to TEST_PARAMS').toBeDefined();
    expect(USED[name], 'add the new strategy to USED').toBeDefined();
  });

  it('trades on the random walk (the other checks are not vacuous)', () => {
    const s = def.signals(candles, params, none);
    expect(s.entry.some((v) => v === 1)).toBe(true);
    expect(s.entry.some((v) => v === -1)).toBe(true);
    expect(s.exit.some((v) => v !== 0)).toBe(true);
  });

  it('no look-ahead: signals on bars[0..k) equal the first k signals on all bars, for every k', () => {
    const full = def.signals(candles, params, none);
    const n = candles.close.length;
    for (let k = 1; k <= n; k++) expectPrefix(full, def.signals(sliceBars(candles, 0, k), params, none), k, name);
  });

  it('no look-ahead for random params of the default space and random walks (fast-check)', () => {
    const dims = Object.keys(def.defaultSpace).length;
    const base = def.params.parse({});
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dims, maxLength: dims }),
        fc.integer({ min: 1, max: 400 }),
        (seed, u, k) => {
          const p = def.params.parse(pointOf(base, def.defaultSpace, (_key, i) => u[i]));
          const c = randomWalk(seed, 400);
          const full = def.signals(c, p, none);
          expectPrefix(full, def.signals(sliceBars(c, 0, k), p, none), k, name);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('warm-up = first bar where all used indicators are valid = warmup(params); no decision up to it', () => {
    const s = def.signals(candles, params, none);
    const expected = Math.max(...USED[name](candles, params).map(firstValidIndex));
    expect(s.warmup).toBe(expected);
    expect(def.warmup(params)).toBe(expected);
    for (let t = 0; t <= s.warmup; t++) {
      expect(s.entry[t], `entry at ${t}`).toBe(0);
      expect(s.exit[t], `exit at ${t}`).toBe(0);
    }
    expect(s.entry.length).toBe(candles.close.length);
    expect(s.exit.length).toBe(candles.close.length);
  });

  it('warmup(params) matches the data for the default params too', () => {
    const p = def.params.parse({}) as P;
    const c = randomWalk(99, 400);
    expect(def.warmup(p)).toBe(def.signals(c, p, none).warmup);
  });

  it('uses the indicator cache: the second call hits it and computes nothing', () => {
    const cache = new SpyCache();
    const first = def.signals(candles, params, { cache });
    expect(cache.sets).toBeGreaterThan(0);
    const sets = cache.sets;
    const hits = cache.hits;
    const second = def.signals(candles, params, { cache });
    expect(cache.sets).toBe(sets);
    expect(cache.hits).toBeGreaterThan(hits);
    expectPrefix(first, second, candles.close.length, name);
    // cached results equal uncached ones
    expectPrefix(def.signals(candles, params, {}), second, candles.close.length, name);
  });
});
