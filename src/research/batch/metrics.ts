/**
 * The metric columns a batch can show and rank by: every key the engine's `computeMetrics`
 * reports (tests/research/batch-rank.test.ts checks this list against a real run), with the
 * direction in which a value is better. Drawdowns are negative percentages, so for them too
 * higher (closer to zero) is better.
 */
import { UserError, didYouMean } from '../errors.js';

export const METRIC_KEYS = [
  'return_pct',
  'equity_final',
  'equity_peak',
  'buy_hold_return_pct',
  'return_ann_pct',
  'cagr_pct',
  'volatility_ann_pct',
  'sharpe',
  'sortino',
  'calmar',
  'alpha_pct',
  'beta',
  'max_drawdown_pct',
  'avg_drawdown_pct',
  'max_drawdown_duration_days',
  'avg_drawdown_duration_days',
  'trades',
  'win_rate_pct',
  'best_trade_pct',
  'worst_trade_pct',
  'avg_trade_pct',
  'expectancy_pct',
  'profit_factor',
  'sqn',
  'kelly',
  'max_trade_duration_days',
  'avg_trade_duration_days',
  'exposure_pct',
  'commissions',
  'score',
  'periods_per_year',
  'open_trades',
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];

/** Metrics where a smaller value is the better one; every other metric ranks high-to-low. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['volatility_ann_pct', 'max_drawdown_duration_days', 'avg_drawdown_duration_days', 'commissions']);

export const RANK_ORDERS = ['desc', 'asc'] as const;
export type RankOrder = (typeof RANK_ORDERS)[number];

export const DEFAULT_MATRIX_METRICS: readonly MetricKey[] = ['return_pct', 'sharpe', 'sortino', 'max_drawdown_pct', 'win_rate_pct', 'profit_factor', 'trades', 'score'];

export function defaultOrder(metric: string): RankOrder {
  return LOWER_IS_BETTER.has(metric) ? 'asc' : 'desc';
}

/** Validates a metric name with a "did you mean". */
export function checkMetric(name: string, field: string): MetricKey {
  if ((METRIC_KEYS as readonly string[]).includes(name)) return name as MetricKey;
  const guess = didYouMean(name, METRIC_KEYS);
  throw new UserError(`unknown metric ${JSON.stringify(name)}`, {
    field,
    value: name,
    expected: `one of ${METRIC_KEYS.join(', ')}`,
    hint: guess ? `did you mean ${guess}?` : undefined,
  });
}
