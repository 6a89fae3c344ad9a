import type { ExitReason, Trade } from '../backtest/types.js';

/**
 * Closed-trade statistics for analyze_results. Percent keys are in percent (like the
 * metrics); pnl keys are in cash units. A win is pnl > 0 after fees, a loss pnl < 0; a
 * break-even trade (pnl = 0) is neither and ends both streaks. Trades are taken in exit
 * order (exit time, then entry time). Undefined values are null with a warning.
 */
export interface SideStats {
  readonly trades: number;
  readonly win_rate_pct: number | null;
  readonly total_pnl: number;
  /** Arithmetic mean of return_pct. */
  readonly avg_return_pct: number | null;
}

export interface TradeAnalysis {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly breakeven: number;
  readonly win_rate_pct: number | null;
  readonly avg_win_pct: number | null;
  readonly avg_loss_pct: number | null;
  readonly avg_win_pnl: number | null;
  readonly avg_loss_pnl: number | null;
  /** avg win pnl / |avg loss pnl|. */
  readonly payoff_ratio: number | null;
  readonly largest_win_pnl: number | null;
  readonly largest_loss_pnl: number | null;
  readonly total_pnl: number;
  readonly total_fees: number;
  readonly max_win_streak: number;
  readonly max_loss_streak: number;
  /** Bars held = exit_bar − entry_bar. */
  readonly avg_duration_bars: number | null;
  readonly max_duration_bars: number | null;
  readonly min_duration_bars: number | null;
  readonly avg_duration_days: number | null;
  readonly max_duration_days: number | null;
  readonly by_exit_reason: Readonly<Record<ExitReason, number>>;
  readonly long: SideStats;
  readonly short: SideStats;
  readonly warnings: string[];
}

const DAY_MS = 86_400_000;
const EXIT_REASONS: readonly ExitReason[] = ['signal', 'reversal', 'stop_loss', 'take_profit', 'trailing_stop', 'max_hold', 'end', 'liquidation'];

function avg(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
}

/** Max/min without spreading (safe for very many trades); null when empty. */
function maxOf(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((m, x) => (x > m ? x : m), -Infinity) : null;
}
function minOf(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((m, x) => (x < m ? x : m), Infinity) : null;
}

function side(trades: readonly Trade[]): SideStats {
  const wins = trades.filter((t) => t.pnl > 0).length;
  return {
    trades: trades.length,
    win_rate_pct: trades.length ? (100 * wins) / trades.length : null,
    total_pnl: trades.reduce((s, t) => s + t.pnl, 0),
    avg_return_pct: avg(trades.map((t) => t.return_pct)),
  };
}

export function tradeAnalysis(input: readonly Trade[]): TradeAnalysis {
  const trades = [...input].sort((a, b) => a.exit_time - b.exit_time || a.entry_time - b.entry_time);
  const warnings: string[] = [];
  const winners = trades.filter((t) => t.pnl > 0);
  const losers = trades.filter((t) => t.pnl < 0);
  let winStreak = 0;
  let lossStreak = 0;
  let maxWin = 0;
  let maxLoss = 0;
  for (const t of trades) {
    winStreak = t.pnl > 0 ? winStreak + 1 : 0;
    lossStreak = t.pnl < 0 ? lossStreak + 1 : 0;
    maxWin = Math.max(maxWin, winStreak);
    maxLoss = Math.max(maxLoss, lossStreak);
  }
  const byReason = Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<ExitReason, number>;
  for (const t of trades) byReason[t.exit_reason] = (byReason[t.exit_reason] ?? 0) + 1;

  const avgWinPnl = avg(winners.map((t) => t.pnl));
  const avgLossPnl = avg(losers.map((t) => t.pnl));
  if (trades.length === 0) warnings.push('no closed trades: trade statistics are undefined');
  else {
    if (winners.length === 0) warnings.push('no winning trades: average win and payoff ratio are undefined');
    if (losers.length === 0) warnings.push('no losing trades: average loss and payoff ratio are undefined');
  }
  const bars = trades.map((t) => t.exit_bar - t.entry_bar);
  const days = trades.map((t) => (t.exit_time - t.entry_time) / DAY_MS);
  return {
    trades: trades.length,
    wins: winners.length,
    losses: losers.length,
    breakeven: trades.length - winners.length - losers.length,
    win_rate_pct: trades.length ? (100 * winners.length) / trades.length : null,
    avg_win_pct: avg(winners.map((t) => t.return_pct)),
    avg_loss_pct: avg(losers.map((t) => t.return_pct)),
    avg_win_pnl: avgWinPnl,
    avg_loss_pnl: avgLossPnl,
    payoff_ratio: avgWinPnl !== null && avgLossPnl !== null ? avgWinPnl / Math.abs(avgLossPnl) : null,
    largest_win_pnl: maxOf(winners.map((t) => t.pnl)),
    largest_loss_pnl: minOf(losers.map((t) => t.pnl)),
    total_pnl: trades.reduce((s, t) => s + t.pnl, 0),
    total_fees: trades.reduce((s, t) => s + t.fees, 0),
    max_win_streak: maxWin,
    max_loss_streak: maxLoss,
    avg_duration_bars: avg(bars),
    max_duration_bars: maxOf(bars),
    min_duration_bars: minOf(bars),
    avg_duration_days: avg(days),
    max_duration_days: maxOf(days),
    by_exit_reason: byReason,
    long: side(trades.filter((t) => t.direction === 'long')),
    short: side(trades.filter((t) => t.direction === 'short')),
    warnings,
  };
}
