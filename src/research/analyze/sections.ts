/**
 * The `basic` and `advanced` sections of an analysis, from the engine's analysis functions.
 *
 * Return basis: per-period returns are the simple returns of END-OF-DAY equity (calendar UTC
 * days, empty days dropped), as EXECUTION.md §3 defines them for Sharpe and as the trial
 * ledger records them, so the distribution, the ratios, PSR and DSR all describe the same
 * sample. The annualisation factor A comes from the bars' calendar (`detectPeriods`).
 */
import type { Trade } from '../../engine/backtest/types.js';
import { calendarBreakdown } from '../../engine/analysis/breakdown.js';
import { returnDistribution } from '../../engine/analysis/distribution.js';
import { drawdownAnalysis } from '../../engine/analysis/drawdowns.js';
import { riskReport } from '../../engine/analysis/risk.js';
import { tradeAnalysis } from '../../engine/analysis/trade-stats.js';
import { dailyReturns } from '../../engine/ledger.js';
import { detectPeriods } from '../../engine/metrics/periods.js';
import { lastItems } from './clean.js';
import type { Subject } from './types.js';

/** Monthly rows kept in a result (the most recent); yearly rows are all kept up to this many. */
export const MAX_MONTHS = 120;
export const MAX_YEARS = 100;
const MAX_EPISODES = 5;
const UNDERWATER_POINTS = 200;

export interface PeriodBasis {
  readonly returns: Float64Array;
  readonly periodsPerYear: number;
}

/** End-of-day returns and A of a subject. */
export function periodBasis(s: Subject): PeriodBasis {
  return { returns: dailyReturns(s.time, s.equity), periodsPerYear: detectPeriods(s.time, 'standard').periodsPerYear };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function overview(s: Subject, p: PeriodBasis): Record<string, unknown> {
  const n = s.equity.length;
  return {
    bars: n,
    start: iso(s.time[0]),
    end: iso(s.time[n - 1]),
    equity_start: s.equity[0],
    equity_final: s.equity[n - 1],
    return_pct: 100 * (s.equity[n - 1] / s.equity[0] - 1),
    closed_trades: s.trades.length,
    open_trades: s.openTrades,
    return_periods: p.returns.length,
    periods_per_year: p.periodsPerYear,
    return_basis: 'end-of-day equity (UTC calendar days, empty days dropped)',
  };
}

function tradesSection(s: Subject): Record<string, unknown> {
  const t = tradeAnalysis(s.trades);
  const out: Record<string, unknown> = { ...t, open_trades: s.openTrades };
  if (!s.exitReasonsKnown) {
    out.by_exit_reason = { unspecified: s.trades.length };
    out.warnings = [...t.warnings, 'exit reasons were not given for every inline trade: reported as unspecified'];
  }
  return out;
}

export function basicSections(s: Subject, p: PeriodBasis): Record<string, unknown> {
  const dd = drawdownAnalysis(s.equity, s.time, { maxEpisodes: MAX_EPISODES, maxPoints: UNDERWATER_POINTS });
  const dist = returnDistribution(p.returns);
  return {
    trades: tradesSection(s),
    drawdowns: {
      ...dd,
      underwater: { ...dd.underwater, points: dd.underwater.time.length, bars: s.equity.length },
    },
    returns: {
      basis: 'daily',
      periods_per_year: p.periodsPerYear,
      ...dist,
      var_cvar_units: 'per-period returns as fractions (negative = loss); VaR = the 5 % / 1 % quantile, CVaR = mean of returns at or below it',
      kurtosis_note: 'kurtosis_raw is Pearson (normal = 3, what PSR/DSR use); kurtosis_excess = raw − 3 (normal = 0)',
    },
  };
}

function sideSummary(trades: readonly Trade[], totalPnl: number): Record<string, unknown> {
  const a = tradeAnalysis(trades);
  return {
    trades: a.trades,
    wins: a.wins,
    losses: a.losses,
    win_rate_pct: a.win_rate_pct,
    avg_return_pct: a.trades ? trades.reduce((x, t) => x + t.return_pct, 0) / a.trades : null,
    avg_win_pct: a.avg_win_pct,
    avg_loss_pct: a.avg_loss_pct,
    payoff_ratio: a.payoff_ratio,
    total_pnl: a.total_pnl,
    share_of_total_pnl_pct: totalPnl !== 0 ? (100 * a.total_pnl) / totalPnl : null,
    max_loss_streak: a.max_loss_streak,
    avg_duration_bars: a.avg_duration_bars,
  };
}

export function advancedSections(s: Subject, p: PeriodBasis): Record<string, unknown> {
  const risk = riskReport({
    returns: p.returns,
    periodsPerYear: p.periodsPerYear,
    riskFree: s.riskFree,
    equity: s.equity,
    time: s.time,
    trades: s.trades,
    close: s.close ?? undefined,
    warmup: s.warmup,
  });
  const { benchmark, ...ratios } = risk;
  const benchWarnings: string[] = [];
  if (!benchmark) benchWarnings.push('no buy & hold close series for this subject: correlation, beta and alpha are undefined');
  const cal = calendarBreakdown(s.equity, s.time);
  const months = lastItems(cal.monthly, MAX_MONTHS);
  const years = lastItems(cal.yearly, MAX_YEARS);
  const totalPnl = s.trades.reduce((x, t) => x + t.pnl, 0);
  return {
    risk: {
      ...ratios,
      periods_per_year: p.periodsPerYear,
      risk_free_rate: s.riskFree,
      definitions:
        'sharpe/sortino/omega/k_ratio on end-of-day returns (sortino: downside over all periods); calmar = CAGR/|max drawdown|; sqn and kelly from closed-trade pnl',
    },
    benchmark: benchmark
      ? { ...benchmark, basis: 'per-bar log returns of equity vs close, from the warm-up bar on; alpha_pct = return − β·buy & hold', source: s.info.kind === 'inline' ? 'inline benchmark_close' : 'dataset close over the same bars' }
      : null,
    benchmark_warnings: benchWarnings,
    breakdown: {
      monthly: months.items,
      monthly_omitted: months.omitted,
      yearly: years.items,
      yearly_omitted: years.omitted,
      best_month: cal.best_month,
      worst_month: cal.worst_month,
      positive_months_pct: cal.positive_months_pct,
      warnings: months.omitted > 0 ? [...cal.warnings, `only the last ${MAX_MONTHS} of ${cal.monthly.length} months are listed`] : cal.warnings,
    },
    long_short: {
      long: sideSummary(
        s.trades.filter((t) => t.direction === 'long'),
        totalPnl,
      ),
      short: sideSummary(
        s.trades.filter((t) => t.direction === 'short'),
        totalPnl,
      ),
    },
  };
}
