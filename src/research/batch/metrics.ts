/**
 * The metric names users may pick (batch columns and ranking, optimisation objectives and
 * constraints): every key the engine's `computeMetrics` reports (engine/metrics/keys.ts),
 * with the direction in which a value is better. Drawdowns are negative percentages, so for
 * them too higher (closer to zero) is better.
 */
import { isMetricKey, METRIC_KEYS, type MetricKey } from '../../engine/metrics/keys.js';
import { UserError, didYouMean } from '../errors.js';

export { METRIC_KEYS, type MetricKey };

/**
 * Metrics where a smaller value is the better one; every other metric ranks high-to-low. An
 * objective on one of them is minimised unless it names a direction.
 */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['volatility_ann_pct', 'max_drawdown_duration_days', 'avg_drawdown_duration_days', 'commissions', 'brier', 'ece']);

export const RANK_ORDERS = ['desc', 'asc'] as const;
export type RankOrder = (typeof RANK_ORDERS)[number];

export const DEFAULT_MATRIX_METRICS: readonly MetricKey[] = ['return_pct', 'sharpe', 'sortino', 'max_drawdown_pct', 'win_rate_pct', 'profit_factor', 'trades', 'score'];

export function defaultOrder(metric: string): RankOrder {
  return LOWER_IS_BETTER.has(metric) ? 'asc' : 'desc';
}

/** The direction an objective on `metric` takes when it names none. */
export function defaultDirection(metric: string): 'minimize' | 'maximize' {
  return LOWER_IS_BETTER.has(metric) ? 'minimize' : 'maximize';
}

/**
 * The metric a mistyped name most likely meant: the closest by edit distance, else one that
 * shares a leading part with it (`sharpe_ratio` → `sharpe`, `win_rate` → `win_rate_pct`).
 */
export function guessMetric(name: string): MetricKey | undefined {
  const close = didYouMean(name, METRIC_KEYS) as MetricKey | undefined;
  if (close) return close;
  const lower = name.toLowerCase();
  // the longest key the name starts with, else the shortest key that starts with the name
  const within = METRIC_KEYS.filter((k) => lower.startsWith(k)).sort((a, b) => b.length - a.length);
  const extending = lower.length >= 3 ? METRIC_KEYS.filter((k) => k.startsWith(lower)).sort((a, b) => a.length - b.length) : [];
  return within[0] ?? extending[0];
}

/** Validates a metric name with a "did you mean". */
export function checkMetric(name: string, field: string): MetricKey {
  if (isMetricKey(name)) return name;
  const guess = guessMetric(name);
  throw new UserError(`unknown metric ${JSON.stringify(name)}`, {
    field,
    value: name,
    expected: `one of ${METRIC_KEYS.join(', ')}`,
    hint: guess ? `did you mean ${guess}?` : undefined,
  });
}
