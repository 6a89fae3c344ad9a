/**
 * The synthetic series of the no-drawdown parity cases (scripts/btpy-pin.py, cases rise*
 * and flat): 60 daily bars from 2024-01-01, Open = previous Close.
 */
export const CASE_BARS = 60;

/** Close falls 1 a bar to 80 at bar 20, then rises 1.7 a bar. */
export const RISING_CLOSE: readonly number[] = Array.from({ length: CASE_BARS }, (_, i) => (i <= 20 ? 100 - i : 80 + 1.7 * (i - 20)));

/** Close falls 0.5 a bar from 100: a long-only SMA cross never buys. */
export const FALLING_CLOSE: readonly number[] = Array.from({ length: CASE_BARS }, (_, i) => 100 - 0.5 * i);

/** [time ms, open, high, low, close] of bar i of a close path. */
export function caseBar(close: readonly number[], i: number): [number, number, number, number, number] {
  const c = close[i];
  const o = close[Math.max(0, i - 1)];
  return [Date.UTC(2024, 0, 1 + i), o, Math.max(o, c), Math.min(o, c), c];
}
