/** Text formatting for tool summaries (rounding happens only here, for display). */
import type { Metrics } from '../engine/backtest/types.js';
import type { DatasetRow } from '../research/datasets.js';
import type { RunRow } from '../research/runs.js';
import { UserError } from '../research/errors.js';
import { publicSource, type PathBases } from '../research/public-paths.js';

export function num(v: unknown, digits = 2): string {
  if (v === null || v === undefined) return 'n/a';
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e9)) return v.toExponential(2);
  return v.toFixed(digits);
}

export function isoDate(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

const HEADLINE = ['return_pct', 'sharpe', 'max_drawdown_pct', 'trades', 'win_rate_pct', 'profit_factor', 'score'] as const;

export function metricsLine(m: Metrics): string {
  return HEADLINE.map((k) => `${k} ${k === 'trades' ? (m[k] ?? 'n/a') : num(m[k])}`).join(', ');
}

/**
 * Cursor = opaque offset string (decimal digits). Anything else is the caller's mistake, a
 * UserError naming the field, never an internal error.
 */
export function decodeCursor(cursor: string | undefined, field = 'cursor'): number {
  if (cursor === undefined || cursor === '') return 0;
  const n = /^\d{1,15}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UserError(`${field} ${JSON.stringify(cursor)} is not a cursor returned by this tool`, {
      field,
      value: cursor,
      expected: 'the next_cursor of the previous page (a string of digits), or no cursor for the first page',
    });
  }
  return n;
}

export function page<T>(items: readonly T[], offset: number, limit: number): { items: T[]; next_cursor: string | null; remaining: number; total: number } {
  const slice = items.slice(offset, offset + limit);
  const end = offset + slice.length;
  return { items: slice, next_cursor: end < items.length ? String(end) : null, remaining: Math.max(0, items.length - end), total: items.length };
}

/**
 * Keeps results small: arrays in a run summary longer than `max` are cut to their first
 * `max` items, with `<key>_omitted` saying how many were left out (page them with get_run).
 */
export function compactForOutput(summary: Record<string, unknown>, max = 20): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(summary)) {
    if (Array.isArray(v) && v.length > max) {
      out[k] = v.slice(0, max);
      out[`${k}_omitted`] = v.length - max;
    } else out[k] = v;
  }
  return out;
}

/** A run's row as get_run and the run resource show it (with the summary given). */
export function runView(run: RunRow, live: boolean, summary: unknown): Record<string, unknown> {
  return {
    run_id: run.id,
    kind: run.kind,
    status: run.status,
    live,
    strategy: run.strategy,
    created_at: isoDate(run.created_at),
    finished_at: isoDate(run.finished_at),
    progress: run.progress,
    error: run.error,
    parent_id: run.parent_id,
    spec: run.spec,
    summary,
  };
}

/** A stored dataset as tools and resources show it (no machine paths in `source`). */
export function datasetView(d: DatasetRow, bases: PathBases): Record<string, unknown> & { id: number; symbol: string; timeframe: string; version: number; bars: number; first: string | null; last: string | null; synthetic: boolean } {
  return {
    id: d.id,
    symbol: d.symbol,
    timeframe: d.timeframe,
    version: d.version,
    bars: d.rows,
    first: isoDate(d.first_time),
    last: isoDate(d.last_time),
    content_hash: d.content_hash,
    synthetic: d.is_synthetic,
    // provenance without machine paths (the CLI shows the stored path)
    source: publicSource(bases, d.source),
  };
}
