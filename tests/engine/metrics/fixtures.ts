/** Builders for metric tests: candles from an equity/close path and fake simulation results (test-only). */
import type { Candles, OpenTrade, SimulationResult, Trade } from '../../../src/engine/backtest/types.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** Monday 2024-01-01T00:00:00Z. */
export const MONDAY = Date.UTC(2024, 0, 1);

/** n timestamps: every day (24/7) or weekdays only, from Monday 2024-01-01. */
export function dailyTimes(n: number, weekdaysOnly: boolean, start = MONDAY): Float64Array {
  const t = new Float64Array(n);
  let d = start;
  for (let i = 0; i < n; i++) {
    if (weekdaysOnly) while ([0, 6].includes(new Date(d).getUTCDay())) d += DAY;
    t[i] = d;
    d += DAY;
  }
  return t;
}

export function candlesFrom(time: Float64Array, close: Float64Array | number[]): Candles {
  const c = Float64Array.from(close);
  return { symbol: 'TEST', timeframe: '1d', time, open: c, high: c, low: c, close: c, volume: new Float64Array(c.length).fill(1) };
}

/** Equity path from per-period returns, starting at `start`. */
export function equityFromReturns(returns: readonly number[], start = 1000): Float64Array {
  const e = new Float64Array(returns.length + 1);
  e[0] = start;
  returns.forEach((r, i) => (e[i + 1] = e[i] * (1 + r)));
  return e;
}

export function fakeSim(equity: Float64Array, trades: Trade[] = [], open: OpenTrade[] = [], warmup = 0): SimulationResult {
  return { equity, trades, open_trades: open, skipped: [], warmup };
}

export function trade(over: Partial<Trade>): Trade {
  return {
    direction: 'long', size: 1, entry_bar: 0, exit_bar: 1, entry_time: 0, exit_time: DAY,
    entry_price: 100, exit_price: 100, pnl: 0, return_pct: 0, fees: 0, exit_reason: 'signal',
    ...over,
  };
}

/** True when every metric is null or a finite number. */
export function allFiniteOrNull(m: Record<string, number | null>): boolean {
  return Object.values(m).every((v) => v === null || Number.isFinite(v));
}
