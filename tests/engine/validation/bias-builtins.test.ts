/**
 * The bias checks on every registered strategy, on synthetic data and on a real series, with
 * default params and a few others.
 *
 * Look-ahead: every built-in passes (it decides at t from bars ≤ t).
 * Warm-up: strategies on windowed indicators (SMA, Bollinger, Donchian channels) give the same
 * decisions from any start once their declared warm-up (the first valid indicator bar) has
 * passed. Strategies on recursive smoothers (EMA, Wilder's RSI, MACD, ATR/ADX in `confidence`)
 * keep a trace of their seed for several periods after that bar, so their decisions depend on
 * where the data starts for longer than declared: the check reports them as warmup_unstable
 * with the warm-up actually needed, and a re-check with that warm-up passes.
 */
import { describe, expect, it } from 'vitest';
import type { Candles } from '../../../src/engine/data/candles.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { createRng } from '../../../src/engine/random.js';
import { STRATEGIES, getStrategy } from '../../../src/engine/strategies/registry.js';
import { checkBias } from '../../../src/engine/validation/bias.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { pointOf } from '../strategies/helpers.js';

/** Decisions independent of the start once the first valid indicator bar has passed. */
const WINDOWED = ['sma_cross', 'bollinger_reversion', 'donchian_breakout'];
/** Built on recursive smoothers: start-dependent for some periods after that bar. */
const RECURSIVE = ['ema_cross', 'rsi_reversion', 'macd_trend', 'confidence'];

type P = Record<string, unknown>;

/** Default params, long_short, and two seeded points of the default search space. */
function paramSets(name: string): P[] {
  const def = getStrategy(name);
  const base = def.params.parse({}) as P;
  const rng = createRng(name.length * 7919);
  const points = [0, 1].map(() => def.params.parse(pointOf(base, def.defaultSpace, () => rng.next())) as P);
  return [base, def.params.parse({ ...base, direction: 'long_short' }) as P, ...points];
}

function checkAll(candles: Candles, label: string): void {
  it('every registered strategy is classified', () => {
    expect([...WINDOWED, ...RECURSIVE].sort()).toEqual(Object.keys(STRATEGIES).sort());
  });

  describe.each(Object.keys(STRATEGIES))(`%s on ${label}`, (name) => {
    const def = getStrategy(name);
    const sets = paramSets(name);

    it('passes the look-ahead check with every param set (and the check is not vacuous)', () => {
      for (const p of sets) {
        const r = checkBias(def, candles, p);
        expect(r.lookahead.status, JSON.stringify({ p, first: r.lookahead.first })).toBe('passed');
        expect(r.lookahead.cuts.length).toBe(8);
        expect(r.lookahead.decisions_checked).toBeGreaterThan(0);
      }
    });

    it('warm-up: the verdict matches the measured warm-up; windowed indicators pass, recursive ones need longer than declared', () => {
      for (const p of sets) {
        const r = checkBias(def, candles, p);
        const w = r.warmup;
        expect(w.starts.length).toBeGreaterThan(0);
        expect(w.declared).toBe(def.warmup(p));
        expect(w.status, JSON.stringify({ p, first: w.first })).toBe(w.needed > w.declared ? 'failed' : 'passed');
        if (WINDOWED.includes(name)) expect(w.status, JSON.stringify({ p, first: w.first })).toBe('passed');
        if (w.status === 'failed') {
          // the reported warm-up is the one that works for these starts
          expect(checkBias(def, candles, p, { warmup: w.needed }).warmup.status).toBe('passed');
        }
      }
    });

    if (RECURSIVE.includes(name)) {
      it('default params: warmup_unstable, the needed warm-up a few periods past the declared one', () => {
        const p = sets[0];
        const r = checkBias(def, candles, p);
        expect(r.verdict).toBe('warmup_unstable');
        expect(r.warmup.needed).toBeGreaterThan(r.warmup.declared);
        expect(r.warmup.needed).toBeLessThan(10 * (r.warmup.declared + 1));
      });
    }
  });
}

describe('bias checks of the built-ins on synthetic data', () => {
  checkAll(generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 3000, seed: 11, start: Date.UTC(2024, 0, 1) }), 'synthetic 1h');
});

describeShared('bias checks of the built-ins on real data', 'goog_1d.csv', () => {
  checkAll({ symbol: 'GOOG', timeframe: '1d', ...readSharedBars('goog_1d.csv') }, 'GOOG 1d');
});

describeShared('near-ties on 1-minute data with flat stretches', 'unittest_btc_1m.csv', () => {
  const candles: Candles = { symbol: 'BTC', timeframe: '1m', ...readSharedBars('unittest_btc_1m.csv') };
  it.each(WINDOWED)('%s: the warm-up check passes; decisions a 1e-9 input change flips are not compared', (name) => {
    const def = getStrategy(name);
    const p = def.params.parse({}) as P;
    const r = checkBias(def, candles, p);
    expect(r.verdict, JSON.stringify(r.warmup.first)).toBe('ok');
    expect(r.warmup.near_ties).toBeLessThan(candles.time.length / 10);
  });
});
