/**
 * Every metric key `computeMetrics` reports, in its order. `computeMetrics` writes through a
 * `MetricSink<MetricKey>`, so it cannot report a key missing here (the compiler refuses),
 * and tests/engine/metrics/keys.test.ts checks that it reports every key listed. Whatever
 * accepts a metric name from users (objectives, constraints, batch ranking) checks it
 * against this list.
 */
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
  // prediction quality (prediction.ts): null for strategies that emit no confidence
  'predictions',
  'hit_rate_pct',
  'brier',
  'ece',
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];

export function isMetricKey(name: string): name is MetricKey {
  return (METRIC_KEYS as readonly string[]).includes(name);
}
