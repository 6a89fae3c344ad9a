import type { Profile } from '../backtest/types.js';
import { DAY_MS, detectPeriods, resolutionMs, type PeriodRule } from './periods.js';
import { btpyRisk, standardRisk, type RiskStats } from './risk.js';

/**
 * What differs between the metric definitions of the two profiles (EXECUTION.md §3 vs §4),
 * as one small table of functions; everything else is shared.
 */
export interface MetricRules {
  readonly periods: (time: Float64Array) => PeriodRule;
  readonly risk: (r: Float64Array, a: number, riskFree: number) => RiskStats;
  /** Duration in days: exact (default) or rounded up to the data resolution (backtesting.py). */
  readonly days: (ms: number, rule: PeriodRule) => number;
  /** Calmar numerator: CAGR (default) or the annualised geometric return (backtesting.py). */
  readonly calmarBasis: 'cagr' | 'return_ann';
  readonly dropLastBarEpisode: boolean;
  /**
   * What `commissions` sums: every fee paid, including the entry fee of a trade still open
   * at the end (`all_fees`), or only the closed trades' entry + exit fees (`closed_trades`):
   * backtesting.py books a trade's commissions when `_Broker._close_trade` settles it, and
   * `compute_stats` sums them over `broker.closed_trades` — an open trade's entry fee has
   * left the cash (so equity matches) but is not in `Commissions [$]`.
   */
  readonly commissions: 'all_fees' | 'closed_trades';
}

export const METRIC_RULES: Readonly<Record<Profile, MetricRules>> = Object.freeze({
  default: {
    periods: (time: Float64Array) => detectPeriods(time, 'standard'),
    risk: standardRisk,
    days: (ms: number) => ms / DAY_MS,
    calmarBasis: 'cagr',
    dropLastBarEpisode: false,
    commissions: 'all_fees',
  },
  'backtesting.py': {
    periods: (time: Float64Array) => detectPeriods(time, 'backtesting.py'),
    risk: btpyRisk,
    days: (ms: number, rule: PeriodRule) => {
      // pandas holds a mean duration in whole nanoseconds (truncated) before `ceil`, so a
      // float mean a hair above a whole unit must not round up to the next one.
      const unit = resolutionMs(rule.spacingMs);
      return (Math.ceil((ms - 1e-6) / unit) * unit) / DAY_MS;
    },
    calmarBasis: 'return_ann',
    dropLastBarEpisode: true,
    commissions: 'closed_trades',
  },
});
