/**
 * Shared pieces of the report models: a run's bars (its dataset sliced to the run's range),
 * flattening nested params for charts, and formatting helpers for titles and metrics.
 */
import { sliceByTime, type Candles } from '../../engine/data/candles.js';
import type { App } from '../../research/app.js';
import { datasetCandles } from '../../research/datasets.js';
import { UserError } from '../../research/errors.js';
import { getDataset, type DatasetRow } from '../../storage/datasets.js';
import type { RunRow } from '../../storage/runs.js';

const bound = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The bars a backtest run covered: its dataset over its recorded range. */
export function runBars(app: App, run: RunRow): { bars: Candles; dataset: DatasetRow } {
  const dataset = getDataset(app.db, Number(run.spec.dataset_id ?? run.dataset_id));
  if (!dataset) throw new UserError(`the dataset of run ${run.id} is gone`, { field: 'run_id', value: run.id });
  const range = (run.spec.range ?? {}) as { from?: unknown; to?: unknown };
  return { bars: sliceByTime(datasetCandles(app, dataset), bound(range.from), bound(range.to)), dataset };
}

export type FlatValue = number | string | boolean | null;

/** Nested params as dotted paths (`thresholds.regime_proba.trend`); arrays by index. */
export function flattenParams(p: unknown, prefix = '', out: Record<string, FlatValue> = {}): Record<string, FlatValue> {
  if (p !== null && typeof p === 'object') {
    for (const [k, v] of Object.entries(p as Record<string, unknown>)) flattenParams(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = typeof p === 'number' || typeof p === 'string' || typeof p === 'boolean' ? p : null;
  }
  return out;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function iso(t: number | undefined | null): string {
  return typeof t === 'number' && Number.isFinite(t) ? new Date(t).toISOString().replace('T', ' ').replace(/:00\.000Z$/, ' UTC') : 'n/a';
}

export function datasetLabel(d: DatasetRow): string {
  return `${d.symbol} ${d.timeframe} (dataset #${d.id} v${d.version}${d.is_synthetic ? ', synthetic' : ''})`;
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
