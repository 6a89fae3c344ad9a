/**
 * Comparing batch items: the ranking by one metric (ties broken by item order), overall
 * statistics of that metric, the best item per symbol/timeframe and the comparison matrix.
 * Pure functions over item results, used both when a batch finishes and when get_run pages.
 */
import type { Metrics } from '../../engine/backtest/types.js';
import type { RankOrder } from './metrics.js';

export const ITEM_STATUSES = ['ok', 'failed', 'cancelled'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface ItemResult {
  readonly i: number;
  readonly label: string | null;
  readonly strategy: string;
  readonly symbol: string | null;
  readonly timeframe: string | null;
  /** The resolved params (defaults filled) when the item validated, else what was given. */
  readonly params: Record<string, unknown> | null;
  readonly status: ItemStatus;
  /** The run holding the result (for a cached item, the earlier identical run). */
  readonly run_id: string | null;
  readonly cached: boolean;
  readonly metrics: Metrics | null;
  readonly error: string | null;
}

export interface RankedItem extends ItemResult {
  /** 1 = best; null when the item failed, was cancelled or has no value of the metric. */
  readonly rank: number | null;
  readonly value: number | null;
}

export function metricValue(it: ItemResult, metric: string): number | null {
  if (it.status !== 'ok' || !it.metrics) return null;
  const v = it.metrics[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const STATUS_ORDER: Record<ItemStatus, number> = { ok: 0, failed: 1, cancelled: 2 };

/**
 * Ranked order: items with a value (best first), then succeeded items without one, then
 * failed, then cancelled; ties and the rest keep item order.
 */
export function rankItems(items: readonly ItemResult[], metric: string, order: RankOrder): RankedItem[] {
  const sign = order === 'desc' ? -1 : 1;
  const keyed = items.map((it) => ({ it, v: metricValue(it, metric) }));
  keyed.sort((a, b) => {
    if (a.v !== null && b.v !== null) return a.v === b.v ? a.it.i - b.it.i : sign * (a.v - b.v);
    if (a.v !== null) return -1;
    if (b.v !== null) return 1;
    const s = STATUS_ORDER[a.it.status] - STATUS_ORDER[b.it.status];
    return s !== 0 ? s : a.it.i - b.it.i;
  });
  return keyed.map(({ it, v }, k) => ({ ...it, value: v, rank: v === null ? null : k + 1 }));
}

export interface RankStats {
  readonly metric: string;
  readonly order: RankOrder;
  /** Items with a value of the metric. */
  readonly n: number;
  readonly mean: number | null;
  readonly median: number | null;
  readonly best: number | null;
  readonly worst: number | null;
}

export interface BatchCounts {
  readonly items: number;
  readonly ok: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Succeeded items answered from the store (an identical earlier run). */
  readonly cached: number;
}

export function countItems(items: readonly ItemResult[]): BatchCounts {
  let ok = 0;
  let failed = 0;
  let cancelled = 0;
  let cached = 0;
  for (const it of items) {
    if (it.status === 'ok') ok++;
    else if (it.status === 'failed') failed++;
    else cancelled++;
    if (it.status === 'ok' && it.cached) cached++;
  }
  return { items: items.length, ok, failed, cancelled, cached };
}

export function rankStats(ranked: readonly RankedItem[], metric: string, order: RankOrder): RankStats {
  const vs = ranked.filter((r) => r.value !== null).map((r) => r.value as number);
  const n = vs.length;
  if (n === 0) return { metric, order, n: 0, mean: null, median: null, best: null, worst: null };
  const sorted = [...vs].sort((a, b) => a - b);
  const h = n >>> 1;
  const median = n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
  let sum = 0;
  for (const v of vs) sum += v;
  // `ranked` is best-first, so the first and last values are the best and worst
  return { metric, order, n, mean: sum / n, median, best: vs[0], worst: vs[n - 1] };
}

export interface BestOfDataset {
  readonly symbol: string | null;
  readonly timeframe: string | null;
  readonly i: number;
  readonly label: string | null;
  readonly strategy: string;
  readonly params: Record<string, unknown> | null;
  readonly run_id: string | null;
  readonly value: number;
  /** Items of this symbol/timeframe with a value. */
  readonly of: number;
}

/** The best ranked item of every symbol/timeframe pair, in ranking order of those bests. */
export function bestPerDataset(ranked: readonly RankedItem[]): BestOfDataset[] {
  const best = new Map<string, BestOfDataset>();
  const counts = new Map<string, number>();
  for (const r of ranked) {
    if (r.value === null) continue;
    const key = `${r.symbol ?? ''}\u0000${r.timeframe ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (!best.has(key)) {
      best.set(key, { symbol: r.symbol, timeframe: r.timeframe, i: r.i, label: r.label, strategy: r.strategy, params: r.params, run_id: r.run_id, value: r.value, of: 0 });
    }
  }
  return [...best.entries()].map(([k, b]) => ({ ...b, of: counts.get(k) ?? 0 }));
}

export interface Matrix {
  readonly columns: readonly string[];
  readonly rows: readonly (string | number | boolean | null | Record<string, unknown>)[][];
}

export const MATRIX_LEAD = ['rank', 'i', 'label', 'strategy', 'symbol', 'timeframe', 'params', 'status', 'cached', 'run_id'] as const;

/** Rows = items, columns = the lead fields then the chosen metrics; failed rows carry the error. */
export function matrixOf(rows: readonly RankedItem[], metrics: readonly string[]): Matrix {
  const columns = [...MATRIX_LEAD, ...metrics, 'error'];
  return {
    columns,
    rows: rows.map((r) => [
      r.rank,
      r.i,
      r.label,
      r.strategy,
      r.symbol,
      r.timeframe,
      r.params,
      r.status,
      r.cached,
      r.run_id,
      ...metrics.map((m) => (r.metrics ? (r.metrics[m] ?? null) : null)),
      r.error,
    ]),
  };
}
