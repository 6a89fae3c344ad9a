/**
 * Stored backtest payloads: metrics, warnings, trades (JSON, paged on read), skipped
 * orders, open trades, and the equity curve as raw Float64 bytes (or, for batch items, not
 * at all: `equity_stored` = 0, recomputed on demand by research/run-result.ts).
 */
import type { Metrics, OpenTrade, SkippedOrder, Trade } from '../engine/backtest/types.js';
import type { Db } from './db.js';

export interface StoredBacktest {
  readonly metrics: Metrics;
  readonly warnings: string[];
  readonly trades: Trade[];
  readonly open_trades: OpenTrade[];
  readonly skipped: SkippedOrder[];
  readonly equity: Float64Array;
  /** Bar times of the equity curve (epoch ms), when stored. */
  readonly equity_time: Float64Array | null;
  readonly warmup: number;
}

function f64(b: Buffer | null): Float64Array | null {
  if (b === null) return null;
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  return out;
}

function blob(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A backtest result serialised for its row: built outside a write transaction, so a writer holds the lock only to insert. */
export interface SerializedBacktest {
  readonly metrics: string;
  readonly warnings: string;
  readonly trades: string;
  readonly open_trades: string;
  readonly skipped: string;
  /** Raw Float64 bytes, or empty when the curve is not stored. */
  readonly equity: Buffer;
  readonly equity_time: Buffer | null;
  readonly equity_stored: 0 | 1;
  readonly warmup: number;
  readonly n_trades: number;
}

/**
 * `equity: false` leaves the per-bar equity curve out (batch items): readers get null and
 * recompute it from the run's spec (research/run-result.ts).
 */
export function serializeBacktest(r: StoredBacktest, opts: { equity?: boolean } = {}): SerializedBacktest {
  const keep = opts.equity ?? true;
  return {
    metrics: JSON.stringify(r.metrics),
    warnings: JSON.stringify(r.warnings),
    trades: JSON.stringify(r.trades),
    open_trades: JSON.stringify(r.open_trades),
    skipped: JSON.stringify(r.skipped),
    equity: keep ? blob(r.equity) : Buffer.alloc(0),
    equity_time: keep && r.equity_time ? blob(r.equity_time) : null,
    equity_stored: keep ? 1 : 0,
    warmup: r.warmup,
    n_trades: r.trades.length,
  };
}

export function insertBacktestRow(db: Db, runId: string, s: SerializedBacktest): void {
  db.prepare(
    `INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, equity, equity_time, equity_stored, warmup, n_trades)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(runId, s.metrics, s.warnings, s.trades, s.open_trades, s.skipped, s.equity, s.equity_time, s.equity_stored, s.warmup, s.n_trades);
}

export function saveBacktestResult(db: Db, runId: string, r: StoredBacktest, opts: { equity?: boolean } = {}): void {
  insertBacktestRow(db, runId, serializeBacktest(r, opts));
}

/** A stored result as read: `equity` is null when the curve was not stored (see serializeBacktest). */
export type LoadedBacktest = Omit<StoredBacktest, 'equity'> & { readonly equity: Float64Array | null };

interface RawResult {
  metrics: string;
  warnings: string;
  trades: string;
  open_trades: string;
  skipped: string;
  equity: Buffer;
  equity_time: Buffer | null;
  equity_stored: 0 | 1;
  warmup: number;
}

export function loadBacktestResult(db: Db, runId: string): LoadedBacktest | undefined {
  const r = db.prepare('SELECT * FROM run_results WHERE run_id = ?').get(runId) as RawResult | undefined;
  if (!r) return undefined;
  return {
    metrics: JSON.parse(r.metrics) as Metrics,
    warnings: JSON.parse(r.warnings) as string[],
    trades: JSON.parse(r.trades) as Trade[],
    open_trades: JSON.parse(r.open_trades) as OpenTrade[],
    skipped: JSON.parse(r.skipped) as SkippedOrder[],
    equity: r.equity_stored === 1 ? (f64(r.equity) as Float64Array) : null,
    equity_time: f64(r.equity_time),
    warmup: r.warmup,
  };
}

/** Metrics and the equity curve (null when not stored) with its bar times, without the trades. */
export function loadBacktestEquity(db: Db, runId: string): { readonly metrics: Metrics; readonly equity: Float64Array | null; readonly equity_time: Float64Array | null } | undefined {
  const r = db.prepare('SELECT metrics, equity, equity_time, equity_stored FROM run_results WHERE run_id = ?').get(runId) as Pick<RawResult, 'metrics' | 'equity' | 'equity_time' | 'equity_stored'> | undefined;
  if (!r) return undefined;
  return { metrics: JSON.parse(r.metrics) as Metrics, equity: r.equity_stored === 1 ? f64(r.equity) : null, equity_time: f64(r.equity_time) };
}

/** Metrics and the number of closed trades, without reading the trades or the curve. */
export function loadBacktestSummary(db: Db, runId: string): { readonly metrics: Metrics; readonly n_trades: number } | undefined {
  const r = db.prepare('SELECT metrics, n_trades FROM run_results WHERE run_id = ?').get(runId) as { metrics: string; n_trades: number } | undefined;
  return r ? { metrics: JSON.parse(r.metrics) as Metrics, n_trades: r.n_trades } : undefined;
}

export function hasBacktestResult(db: Db, runId: string): boolean {
  return db.prepare('SELECT 1 FROM run_results WHERE run_id = ?').get(runId) !== undefined;
}
