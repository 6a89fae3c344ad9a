/** Prediction metrics through runBacktest: the built-in `confidence` strategy, strategies without a confidence, planted cases. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runBacktest } from '../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION, type Candles, type ExecutionSpec, type Signals } from '../../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { createRng } from '../../../src/engine/random.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';
import type { StrategyDef } from '../../../src/engine/strategies/types.js';

const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 3000, seed: 7, start: Date.UTC(2024, 0, 1) });
const spec = (over: Partial<ExecutionSpec> = {}): ExecutionSpec => ({ ...DEFAULT_EXECUTION, ...over });
const PREDICTION_KEYS = ['predictions', 'hit_rate_pct', 'brier', 'ece'];

/** The metrics recomputed the plain way from the run's entries and the strategy's confidence. */
function byHand(c: Candles, entries: { entry_bar: number; direction: 'long' | 'short' }[], conf: Float64Array, h: number) {
  const scored = entries.map((e) => ({ t: e.entry_bar - 1, d: e.direction === 'long' ? 1 : -1 })).filter(({ t }) => Number.isFinite(conf[t]) && t + h < c.close.length);
  const ys = scored.map(({ t, d }): number => (d * (c.close[t + h] - c.close[t]) > 0 ? 1 : 0));
  const cs = scored.map(({ t }) => conf[t]);
  const n = ys.length;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, c: 0, y: 0 }));
  cs.forEach((x, i) => {
    const b = bins[Math.min(9, Math.floor(x * 10))];
    b.n++;
    b.c += x;
    b.y += ys[i];
  });
  return {
    predictions: n,
    hit_rate_pct: (100 * ys.reduce((a, b) => a + b, 0)) / n,
    brier: cs.reduce((a, x, i) => a + (x - ys[i]) ** 2, 0) / n,
    ece: bins.reduce((a, b) => a + (b.n ? (b.n / n) * Math.abs(b.c / b.n - b.y / b.n) : 0), 0),
  };
}

describe('the built-in confidence strategy reports prediction metrics', () => {
  const def = getStrategy('confidence');
  for (const direction of ['long_only', 'long_short'] as const) {
    it(`${direction}: every entry with a complete horizon is a prediction, scored as by hand`, () => {
      const params = def.params.parse({ direction }) as Record<string, unknown>;
      const conf = def.signals(candles, params, {}).confidence!;
      for (const h of [1, 12]) {
        const r = runBacktest(candles, def, params, spec({ prediction_horizon: h }));
        const entries = [...r.trades, ...r.open_trades];
        expect(r.trades.length).toBeGreaterThan(20);
        if (direction === 'long_short') expect(entries.some((e) => e.direction === 'short')).toBe(true);
        const want = byHand(candles, entries, conf, h);
        expect(r.metrics.predictions).toBe(want.predictions);
        expect(want.predictions).toBeGreaterThan(20);
        for (const k of ['hit_rate_pct', 'brier', 'ece'] as const) expect(r.metrics[k], `${k} H=${h}`).toBeCloseTo(want[k], 12);
        expect(r.metrics.brier).toBeGreaterThan(0);
        expect(r.metrics.brier).toBeLessThan(1);
        expect(r.metrics.ece).toBeGreaterThanOrEqual(0);
        expect(r.metrics.ece).toBeLessThanOrEqual(1);
        expect(r.warnings.filter((w) => /predictions|brier|ece|hit_rate/.test(w))).toEqual([]);
      }
    });
  }

  it('the horizon changes only the prediction metrics, never the trades', () => {
    const params = def.params.parse({}) as Record<string, unknown>;
    const a = runBacktest(candles, def, params, spec({ prediction_horizon: 1 }));
    const b = runBacktest(candles, def, params, spec({ prediction_horizon: 24 }));
    expect(b.trades).toEqual(a.trades);
    for (const k of Object.keys(a.metrics)) if (!PREDICTION_KEYS.includes(k)) expect(b.metrics[k], k).toEqual(a.metrics[k]);
    expect(b.metrics.hit_rate_pct).not.toBe(a.metrics.hit_rate_pct);
  });
});

describe('strategies without a confidence', () => {
  for (const name of ['sma_cross', 'rsi_reversion']) {
    it(`${name}: the four keys are null, with one warning`, () => {
      const def = getStrategy(name);
      const r = runBacktest(candles, def, def.params.parse({}) as Record<string, unknown>, spec());
      for (const k of PREDICTION_KEYS) expect(r.metrics[k], k).toBeNull();
      expect(r.warnings.filter((w) => w.includes('confidence'))).toEqual(['predictions, hit_rate_pct, brier, ece: the strategy emits no confidence']);
    });
  }
});

/**
 * A test-only strategy that enters every `every` bars in the direction `side(t)` with
 * confidence `conf(t)` and exits the bar after (never a real strategy: `side` may peek).
 */
function planted(side: (t: number) => 1 | -1, conf: (t: number) => number, every = 5): StrategyDef {
  return {
    name: 'planted',
    description: 'test only',
    params: z.object({}),
    defaultSpace: {},
    warmup: () => 0,
    signals(c: Candles): Signals {
      const n = c.close.length;
      const entry = new Int8Array(n);
      const exit = new Uint8Array(n);
      const confidence = new Float64Array(n).fill(NaN);
      for (let t = 1; t < n; t++) {
        if (t % every === 1) {
          entry[t] = side(t);
          confidence[t] = conf(t);
        } else exit[t] = 3;
      }
      return { entry, exit, confidence, warmup: 0 };
    },
  };
}

describe('planted predictions', () => {
  const close = candles.close;
  const n = close.length;
  const up = (t: number): 1 | -1 => (t + 1 < n && close[t + 1] > close[t] ? 1 : -1);

  it('a clairvoyant direction said with confidence 1: hit rate 100 %, Brier 0, ECE 0', () => {
    const r = runBacktest(candles, planted(up, () => 1), {}, spec());
    expect(r.metrics.predictions).toBeGreaterThan(500);
    expect(r.metrics.hit_rate_pct).toBe(100);
    expect(r.metrics.brier).toBe(0);
    expect(r.metrics.ece).toBe(0);
  });

  it('the same direction said with confidence 0: Brier 1 and ECE 1 (perfectly wrong about itself)', () => {
    const r = runBacktest(candles, planted(up, () => 0), {}, spec());
    expect(r.metrics.brier).toBe(1);
    expect(r.metrics.ece).toBe(1);
  });

  it('coin-flip directions said with confidence 0.5: Brier exactly 0.25, ECE = |0.5 − hit rate|', () => {
    const rng = createRng(5);
    const coins = Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : -1) as 1 | -1);
    const r = runBacktest(candles, planted((t) => coins[t], () => 0.5), {}, spec());
    expect(r.metrics.brier).toBe(0.25);
    expect(r.metrics.hit_rate_pct).toBeGreaterThan(40);
    expect(r.metrics.hit_rate_pct).toBeLessThan(60);
    expect(r.metrics.ece).toBeCloseTo(Math.abs(0.5 - (r.metrics.hit_rate_pct as number) / 100), 12);
  });
});
