/**
 * The compact summary of a finished batch (stored on the batch run and returned by the
 * tool): counts, the ranking metric's statistics, the top N items as a comparison matrix,
 * the best item per symbol/timeframe and the first failures. Everything else is paged with
 * `get_run include=items`.
 */
import type { BatchPlan } from './expand.js';
import { bestPerDataset, countItems, matrixOf, rankItems, rankStats, type ItemResult, type RankedItem } from './rank.js';

/** Caps on the lists inside a summary, so a 500-item batch still answers in a few kB. */
export const SUMMARY_LIMITS = { best_per_dataset: 50, failures: 10 } as const;

export interface RankSpec {
  readonly rank_by: string;
  readonly rank_order: BatchPlan['rank_order'];
  readonly metrics: readonly string[];
  readonly top: number;
}

export function rankSpecOf(plan: BatchPlan): RankSpec {
  return { rank_by: plan.rank_by, rank_order: plan.rank_order, metrics: plan.metrics, top: plan.top };
}

export function summarizeBatch(results: readonly ItemResult[], rs: RankSpec, extra: { label?: string | null; elapsed_ms?: number; concurrency?: number } = {}): Record<string, unknown> {
  const ranked: RankedItem[] = rankItems(results, rs.rank_by, rs.rank_order);
  const best = bestPerDataset(ranked);
  const failures = ranked.filter((r) => r.status === 'failed');
  const counts = countItems(results);
  // the top rows are succeeded items only; failures have their own list
  const top = ranked.filter((r) => r.status === 'ok').slice(0, rs.top);
  return {
    ...(extra.label ? { label: extra.label } : {}),
    counts,
    rank_by: rs.rank_by,
    rank_order: rs.rank_order,
    stats: rankStats(ranked, rs.rank_by, rs.rank_order),
    top: matrixOf(top, rs.metrics),
    items_left_out: ranked.length - top.length,
    best_per_dataset: best.slice(0, SUMMARY_LIMITS.best_per_dataset),
    best_per_dataset_left_out: Math.max(0, best.length - SUMMARY_LIMITS.best_per_dataset),
    failures: failures.slice(0, SUMMARY_LIMITS.failures).map((f) => ({ i: f.i, label: f.label, strategy: f.strategy, symbol: f.symbol, timeframe: f.timeframe, params: f.params, error: f.error })),
    failures_left_out: Math.max(0, failures.length - SUMMARY_LIMITS.failures),
    ...(extra.concurrency !== undefined ? { concurrency: extra.concurrency } : {}),
    ...(extra.elapsed_ms !== undefined ? { elapsed_ms: extra.elapsed_ms } : {}),
  };
}

/** One item as `get_run include=items` shows it: lead fields plus the chosen metric columns. */
export function itemView(r: RankedItem, metrics: readonly string[]): Record<string, unknown> {
  const m: Record<string, number | null> = {};
  for (const k of metrics) m[k] = r.metrics ? (r.metrics[k] ?? null) : null;
  return {
    rank: r.rank,
    i: r.i,
    label: r.label,
    strategy: r.strategy,
    symbol: r.symbol,
    timeframe: r.timeframe,
    params: r.params,
    status: r.status,
    cached: r.cached,
    run_id: r.run_id,
    value: r.value,
    metrics: m,
    error: r.error,
  };
}
