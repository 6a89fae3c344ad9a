import { describe, expect, it } from 'vitest';
import { tradeAnalysis } from '../../../src/engine/analysis/trade-stats.js';
import type { ExitReason, Trade } from '../../../src/engine/backtest/types.js';

const DAY = 86_400_000;
let seq = 0;
function trade(pnl: number, direction: 'long' | 'short', bars: number, exit_reason: ExitReason): Trade {
  const entry_bar = seq * 10;
  seq++;
  return {
    direction, size: 1, entry_bar, exit_bar: entry_bar + bars, entry_time: entry_bar * DAY, exit_time: (entry_bar + bars) * DAY,
    entry_price: 100, exit_price: 100 + pnl, pnl, return_pct: pnl / 10, fees: 1, exit_reason,
  };
}

// In exit order: W L W W 0 L.
const TRADES = [
  trade(100, 'long', 2, 'signal'),
  trade(-50, 'short', 3, 'stop_loss'),
  trade(30, 'long', 1, 'take_profit'),
  trade(20, 'long', 4, 'signal'),
  trade(0, 'short', 1, 'end'),
  trade(-10, 'long', 2, 'signal'),
];

describe('tradeAnalysis (hand-worked)', () => {
  const a = tradeAnalysis([...TRADES].reverse()); // input order must not matter

  it('counts wins, losses, break-evens and rates', () => {
    expect([a.trades, a.wins, a.losses, a.breakeven]).toEqual([6, 3, 2, 1]);
    expect(a.win_rate_pct).toBe(50);
    expect(a.avg_win_pnl).toBe(50);
    expect(a.avg_loss_pnl).toBe(-30);
    expect(a.payoff_ratio).toBeCloseTo(50 / 30, 15);
    expect(a.avg_win_pct).toBe(5);
    expect(a.largest_win_pnl).toBe(100);
    expect(a.largest_loss_pnl).toBe(-50);
    expect(a.total_pnl).toBe(90);
    expect(a.total_fees).toBe(6);
  });
  it('finds streaks in exit order (a break-even ends both)', () => {
    expect(a.max_win_streak).toBe(2);
    expect(a.max_loss_streak).toBe(1);
  });
  it('measures durations in bars and days', () => {
    expect(a.avg_duration_bars).toBeCloseTo(13 / 6, 15);
    expect([a.min_duration_bars, a.max_duration_bars]).toEqual([1, 4]);
    expect(a.max_duration_days).toBe(4);
  });
  it('counts exit reasons and splits long vs short', () => {
    expect(a.by_exit_reason).toMatchObject({ signal: 3, stop_loss: 1, take_profit: 1, end: 1, reversal: 0 });
    expect(a.long).toEqual({ trades: 4, win_rate_pct: 75, total_pnl: 140, avg_return_pct: 3.5 });
    expect(a.short).toEqual({ trades: 2, win_rate_pct: 0, total_pnl: -50, avg_return_pct: -2.5 });
  });
  it('gives null + warnings when undefined', () => {
    const none = tradeAnalysis([]);
    expect(none.win_rate_pct).toBeNull();
    expect(none.avg_duration_bars).toBeNull();
    expect(none.warnings[0]).toMatch(/no closed trades/);
    const onlyWins = tradeAnalysis([trade(5, 'long', 1, 'signal')]);
    expect(onlyWins.payoff_ratio).toBeNull();
    expect(onlyWins.warnings.join()).toMatch(/no losing trades/);
  });
});
