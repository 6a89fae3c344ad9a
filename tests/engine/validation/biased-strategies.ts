/**
 * Deliberately biased strategies, test-only: the bias checks must catch each of them.
 * - `peek_next_close` reads close[t+1] (one bar of look-ahead): long when the next close is
 *   higher, exit when it is lower. Declares no warm-up.
 * - `global_mean` compares close with the mean of the WHOLE series (look-ahead everywhere).
 * - `partial_window` uses the mean of the last min(t+1, 20) closes, i.e. a 20-bar mean that
 *   is already "valid" on a partial window, and declares a warm-up of 0: its values before
 *   bar 19 depend on where the data starts (the real warm-up is 19 bars).
 * - `peek_confidence` is unbiased in entry/exit but its confidence reads close[t+1].
 */
import { z } from 'zod';
import { EXIT_LONG, type Signals } from '../../../src/engine/backtest/types.js';
import type { Candles } from '../../../src/engine/data/candles.js';
import type { StrategyDef } from '../../../src/engine/strategies/types.js';

const noParams = z.object({}).strict();
type NoParams = z.output<typeof noParams>;

function strategy(name: string, signals: (c: Candles) => Signals, warmup = 0): StrategyDef<NoParams> {
  return { name, description: `test-only biased strategy ${name}`, params: noParams, defaultSpace: {}, warmup: () => warmup, signals: (c) => signals(c) };
}

/** Long entry when above, long exit when below (the reference decision rule of these strategies). */
function aboveBelow(close: Float64Array, level: (t: number) => number, from = 0): Signals {
  const n = close.length;
  const entry = new Int8Array(n);
  const exit = new Uint8Array(n);
  for (let t = from; t < n; t++) {
    const l = level(t);
    if (close[t] > l) entry[t] = 1;
    else if (close[t] < l) exit[t] = EXIT_LONG;
  }
  return { entry, exit, warmup: 0 };
}

export const peekNextClose = strategy('peek_next_close', (c) => {
  const n = c.close.length;
  const entry = new Int8Array(n);
  const exit = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const next = c.close[t + 1]; // undefined past the end: both comparisons false
    if (next > c.close[t]) entry[t] = 1;
    else if (next < c.close[t]) exit[t] = EXIT_LONG;
  }
  return { entry, exit, warmup: 0 };
});

export const globalMean = strategy('global_mean', (c) => {
  let s = 0;
  for (const x of c.close) s += x;
  const mean = s / c.close.length;
  return aboveBelow(c.close, () => mean);
});

export const PARTIAL_WINDOW = 20;

/** The partial-window mean of closes[0..t] over the last min(t+1, 20) bars. */
export function partialMean(close: Float64Array, t: number): number {
  const from = Math.max(0, t - PARTIAL_WINDOW + 1);
  let s = 0;
  for (let i = from; i <= t; i++) s += close[i];
  return s / (t - from + 1);
}

export const partialWindow = strategy('partial_window', (c) => aboveBelow(c.close, (t) => partialMean(c.close, t)));

export const peekConfidence = strategy('peek_confidence', (c) => {
  const n = c.close.length;
  const confidence = new Float64Array(n);
  for (let t = 0; t < n; t++) confidence[t] = c.close[t + 1] > c.close[t] ? 1 : 0;
  return { entry: new Int8Array(n), exit: new Uint8Array(n), confidence, warmup: 0 };
});
