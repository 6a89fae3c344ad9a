/** Signal semantics on small hand-made series (expected values worked out by hand in comments). */
import { describe, expect, it } from 'vitest';
import { EXIT_LONG, EXIT_SHORT, type Signals } from '../../../src/engine/backtest/types.js';
import { macd } from '../../../src/engine/indicators/index.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';
import { candlesFrom } from './helpers.js';
import type { Candles } from '../../../src/engine/data/candles.js';

function run(name: string, candles: Candles, params: Record<string, unknown>): Signals {
  const def = getStrategy(name);
  return def.signals(candles, def.params.parse(params), {});
}
const arr = (a: Int8Array | Uint8Array): number[] => Array.from(a);

describe('sma_cross', () => {
  // close          5   4   3   2   3   4   5   6   5   4   3   2
  // SMA2           -  4.5 3.5 2.5 2.5 3.5 4.5 5.5 5.5 4.5 3.5 2.5
  // SMA3           -   -   4   3  8/3  3   4   5 16/3  5   4   3
  // fast − slow    -   -   −   −   −   +   +   +   +   −   −   −
  // golden cross at 5 (− → +), death cross at 9 (+ → −); warm-up w = 2.
  const c = candlesFrom([5, 4, 3, 2, 3, 4, 5, 6, 5, 4, 3, 2]);

  it('long_short: +1 on the golden cross bar, −1 on the death cross bar, with exit bits', () => {
    const s = run('sma_cross', c, { fast: 2, slow: 3, direction: 'long_short' });
    expect(s.warmup).toBe(2);
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0]);
    expect(arr(s.exit)).toEqual([0, 0, 0, 0, 0, EXIT_SHORT, 0, 0, 0, EXIT_LONG, 0, 0]);
    expect(s.size).toBeUndefined();
  });

  it('long_only: the death cross only closes the long', () => {
    const s = run('sma_cross', c, { fast: 2, slow: 3 });
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(arr(s.exit)).toEqual([0, 0, 0, 0, 0, EXIT_SHORT, 0, 0, 0, EXIT_LONG, 0, 0]);
  });

  it('short_only: the golden cross only closes the short', () => {
    const s = run('sma_cross', c, { fast: 2, slow: 3, direction: 'short_only' });
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0]);
  });

  it('a touch is not a cross (strict on both bars)', () => {
    // close 5 1 1 1 1 4 5 6: fast − slow = −, 0, 0, +, +, + from bar 2 (equal windows give equal SMAs)
    const s = run('sma_cross', candlesFrom([5, 1, 1, 1, 1, 4, 5, 6]), { fast: 2, slow: 3, direction: 'long_short' });
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(arr(s.exit)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('ema_cross', () => {
  // close 3 2 1 2 3 2 1; EMA2 (α = 2/3, seed SMA at 1): 2.5, 1.5, 1.8333, 2.6111, 2.2037, 1.4012
  // EMA3 (α = 1/2, seed SMA at 2): 2, 2, 2.5, 2.25, 1.625 → fast − slow from bar 2: −, −, +, −, −
  it('golden cross at 4, death cross at 5', () => {
    const s = run('ema_cross', candlesFrom([3, 2, 1, 2, 3, 2, 1]), { fast: 2, slow: 3, direction: 'long_short' });
    expect(s.warmup).toBe(2);
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 1, -1, 0]);
    expect(arr(s.exit)).toEqual([0, 0, 0, 0, EXIT_SHORT, EXIT_LONG, 0]);
  });
});

describe('rsi_reversion', () => {
  // Wilder RSI(2) of 10 11 12 13 12 11 10 9 10 11 12 (first value at bar 2):
  // bar 2: 100, 3: 100, 4: 50, 5: 25, 6: 12.5, 7: 6.25, 8: 53.125, 9: 76.5625, 10: 88.28125
  const c = candlesFrom([10, 11, 12, 13, 12, 11, 10, 9, 10, 11, 12]);

  it('long: enter below lower, exit above upper; nothing on the warm-up bar', () => {
    const s = run('rsi_reversion', c, { period: 2, lower: 30, upper: 70 });
    expect(s.warmup).toBe(2);
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
    const L = EXIT_LONG;
    const S = EXIT_SHORT;
    expect(arr(s.exit)).toEqual([0, 0, 0, L, 0, S, S, S, 0, L, L]);
  });

  it('short mirrored: enter above upper, exit below lower', () => {
    const s = run('rsi_reversion', c, { period: 2, lower: 30, upper: 70, direction: 'short_only' });
    expect(arr(s.entry)).toEqual([0, 0, 0, -1, 0, 0, 0, 0, 0, -1, -1]);
  });

  it('thresholds are strict: RSI equal to a level is no signal', () => {
    const s = run('rsi_reversion', c, { period: 2, lower: 25, upper: 76.5625, direction: 'long_short' });
    // bar 5 (RSI 25 = lower) and bar 9 (76.5625 = upper) do not fire
    expect(arr(s.entry)).toEqual([0, 0, 0, -1, 0, 0, 1, 1, 0, 0, -1]);
  });
});

describe('bollinger_reversion', () => {
  // period 3, k 1 (population std). close 1 2 3 0 2 2 4
  // bar 3: window 2 3 0, mean 5/3, std 1.2472 → lower 0.4195; close 0 < lower → long; 0 ≤ mean → exit short
  // bar 4: window 3 0 2, mean 5/3; close 2 ≥ mean → exit long
  // bar 5: window 0 2 2, mean 4/3, upper 2.2761; close 2 ≥ mean → exit long
  // bar 6: window 2 2 4, mean 8/3, upper 3.6095; close 4 > upper → short; ≥ mean → exit long
  // (bar 2 — close 3 above its upper band — is the warm-up bar: no decision)
  it('enters outside the bands and exits at the middle band', () => {
    const s = run('bollinger_reversion', candlesFrom([1, 2, 3, 0, 2, 2, 4]), { period: 3, k: 1, direction: 'long_short' });
    expect(s.warmup).toBe(2);
    expect(arr(s.entry)).toEqual([0, 0, 0, 1, 0, 0, -1]);
    expect(arr(s.exit)).toEqual([0, 0, 0, EXIT_SHORT, EXIT_LONG, EXIT_LONG, EXIT_LONG]);
  });
});

describe('donchian_breakout', () => {
  // entry channel 3 bars, exit channel 2 bars, both taken at t − 1.
  const close = [10, 11, 10, 10.5, 12, 11, 9, 8.4, 9];
  const high = [10.5, 11.5, 10.5, 11, 12, 11.5, 9.5, 8.9, 9.5];
  const low = [9.5, 10.5, 9.5, 10, 11.5, 10.5, 8.5, 7.9, 8.5];
  const c = candlesFrom(close, { high, low });

  it('breaks out of the PREVIOUS bar\'s channel (bar t is not in it)', () => {
    // bar 4: close 12 = high[4] > max(high[1..3]) = 11.5 → long (vs. a channel including bar 4: 12 > 12 is false)
    //        and 12 > max(high[2..3]) = 11 → exit short
    // bar 6: close 9 < min(low[4..5]) = 10.5 → exit long; 9 < min(low[3..5]) = 10 → short
    // bar 7: close 8.4 < min(low[5..6]) = 8.5 → exit long; < min(low[4..6]) = 8.5 → short
    const s = run('donchian_breakout', c, { entry_period: 3, exit_period: 2, direction: 'long_short' });
    expect(s.warmup).toBe(2);
    expect(arr(s.entry)).toEqual([0, 0, 0, 0, 1, 0, -1, -1, 0]);
    expect(arr(s.exit)).toEqual([0, 0, 0, 0, EXIT_SHORT, 0, EXIT_LONG, EXIT_LONG, 0]);
  });

  it('entry_period 1 compares with the previous bar\'s high only', () => {
    const one = run('donchian_breakout', c, { entry_period: 1, exit_period: 1, direction: 'long_only' });
    // previous-bar highs: bar1 10.5 (11 > → long), bar2 11.5, bar3 10.5 (10.5 not >), bar4 11 (12 >), bar5 12,
    // bar6 11.5, bar7 9.5, bar8 8.9 (9 > → long); warm-up 0 → decisions from bar 1
    expect(one.warmup).toBe(0);
    expect(arr(one.entry)).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 1]);
  });
});

describe('macd_trend', () => {
  it('enters exactly at the strict crosses of MACD over its signal line, alternating sides', () => {
    const close = Array.from({ length: 200 }, (_, i) => 100 + 10 * Math.sin((2 * Math.PI * i) / 40) + 0.05 * i);
    const c = candlesFrom(close);
    const s = run('macd_trend', c, { fast: 3, slow: 6, signal: 4, direction: 'long_short' });
    const m = macd(c.close, 3, 6, 4);
    expect(s.warmup).toBe(6 + 4 - 2);
    const events: number[] = [];
    for (let t = s.warmup + 1; t < close.length; t++) {
      const up = m.macd[t - 1] < m.signal[t - 1] && m.macd[t] > m.signal[t];
      const down = m.macd[t - 1] > m.signal[t - 1] && m.macd[t] < m.signal[t];
      expect(s.entry[t], `bar ${t}`).toBe(up ? 1 : down ? -1 : 0);
      expect(s.exit[t], `bar ${t}`).toBe(up ? EXIT_SHORT : down ? EXIT_LONG : 0);
      if (up || down) events.push(up ? 1 : -1);
    }
    // a 40-bar sine gives one bullish and one bearish cross per cycle (4 cycles after warm-up)
    expect(events.length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < events.length; i++) expect(events[i]).toBe(-events[i - 1]);
  });
});
