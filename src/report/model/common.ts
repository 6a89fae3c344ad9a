/**
 * Shared pieces of the report models: a run's bars (research/run-result.ts), flattening nested params for charts, and formatting helpers for titles and metrics.
 */
import type { DatasetRow } from '../../storage/datasets.js';
import type { RunRow } from '../../storage/runs.js';
import type { ReportModel } from '../types.js';

export { runBars } from '../../research/run-result.js';

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

/** A run that has not finished (yet): what it is and how far it got, no charts. */
export function pendingReport(run: RunRow, kind: ReportModel['kind']): ReportModel {
  const p = run.progress as { done?: number; total?: number; message?: string } | null;
  return {
    kind,
    id: run.id,
    title: `${kind.replace('_', '-')} ${run.id}: ${run.strategy ?? ''}`.trim(),
    subtitle: p ? `${p.message ?? ''} ${p.done ?? '?'} / ${p.total ?? '?'}`.trim() : `created ${iso(run.created_at)}`,
    status: run.status,
    metrics: [],
    warnings: run.error ? [run.error] : [],
    charts: [],
  };
}
