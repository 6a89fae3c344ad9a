/**
 * Stored backtest payloads: metrics and warnings (JSON text), then, compactly (codec 1,
 * storage/codec.ts): trades, open trades and skipped orders as one compressed JSON blob, and
 * the equity curve with its bar times as compressed number arrays — or, for backtests and
 * batch items, no curve at all (`equity_stored` = 0): it is recomputed on demand by
 * research/run-result.ts. Rows written before migration 010 (codec 0: JSON text, raw Float64
 * bytes) are read as they are.
 */
import type { Metrics, OpenTrade, SkippedOrder, Trade } from '../engine/backtest/types.js';
import { packF64, packJson, unpackF64, unpackJson } from './codec.js';
import { statement, type Db } from './db.js';

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

/** How a row is written: 0 = JSON text and raw Float64 bytes (before migration 010), 1 = compact. */
type Codec = 0 | 1;

/** Raw little-endian Float64 bytes (codec 0). */
function rawF64(b: Buffer): Float64Array {
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  return out;
}

function readF64(b: Buffer | null, codec: Codec): Float64Array | null {
  if (b === null) return null;
  return codec === 1 ? unpackF64(b) : rawF64(b);
}

export interface Details {
  readonly trades: Trade[];
  readonly open_trades: OpenTrade[];
  readonly skipped: SkippedOrder[];
}

/** A backtest result serialised for its row: built outside a write transaction, so a writer holds the lock only to insert. */
export interface SerializedBacktest {
  readonly metrics: string;
  readonly warnings: string;
  /** Trades, open trades and skipped orders, compressed together. */
  readonly details: Buffer;
  /** The compressed curve, or empty when it is not stored. */
  readonly equity: Buffer;
  readonly equity_time: Buffer | null;
  readonly equity_stored: 0 | 1;
  readonly warmup: number;
  readonly n_trades: number;
}

/**
 * `equity: false` leaves the per-bar equity curve out (backtests and batch items, whose
 * curve the engine reproduces from the run's spec): readers get null and recompute it
 * (research/run-result.ts). A curve that cannot be recomputed (a walk-forward's stitched
 * out-of-sample curve) is kept, compressed.
 */
export function serializeBacktest(r: StoredBacktest, opts: { equity?: boolean } = {}): SerializedBacktest {
  const keep = opts.equity ?? true;
  return {
    metrics: JSON.stringify(r.metrics),
    warnings: JSON.stringify(r.warnings),
    details: packJson({ trades: r.trades, open_trades: r.open_trades, skipped: r.skipped } satisfies Details),
    equity: keep ? packF64(r.equity) : Buffer.alloc(0),
    equity_time: keep && r.equity_time ? packF64(r.equity_time) : null,
    equity_stored: keep ? 1 : 0,
    warmup: r.warmup,
    n_trades: r.trades.length,
  };
}

export function insertBacktestRow(db: Db, runId: string, s: SerializedBacktest): void {
  statement(db,
    `INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, details, equity, equity_time, equity_stored, warmup, n_trades, codec)
     VALUES (?, ?, ?, '', '', '', ?, ?, ?, ?, ?, ?, 1)`,
  ).run(runId, s.metrics, s.warnings, s.details, s.equity, s.equity_time, s.equity_stored, s.warmup, s.n_trades);
}

/**
 * Rewrites a row stored before migration 010 (codec 0) in the compact format, in place.
 * False when the row is gone or already compact (someone else rewrote it).
 */
export function rewriteLegacyRow(db: Db, runId: string, s: SerializedBacktest): boolean {
  return (
    statement(db,
        `UPDATE run_results SET trades = '', open_trades = '', skipped = '', details = ?, equity = ?, equity_time = ?, equity_stored = ?, codec = 1
         WHERE run_id = ? AND codec = 0`,
      )
      .run(s.details, s.equity, s.equity_time, s.equity_stored, runId).changes > 0
  );
}

/** Stores a result; its equity curve too unless `equity: false` (see serializeBacktest). */
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
  details: Buffer | null;
  equity: Buffer;
  equity_time: Buffer | null;
  equity_stored: 0 | 1;
  warmup: number;
  codec: Codec;
}

function details(r: Pick<RawResult, 'trades' | 'open_trades' | 'skipped' | 'details' | 'codec'>): Details {
  if (r.codec === 1) return unpackJson<Details>(r.details as Buffer);
  return { trades: JSON.parse(r.trades) as Trade[], open_trades: JSON.parse(r.open_trades) as OpenTrade[], skipped: JSON.parse(r.skipped) as SkippedOrder[] };
}

export function loadBacktestResult(db: Db, runId: string): LoadedBacktest | undefined {
  const r = statement(db, 'SELECT * FROM run_results WHERE run_id = ?').get(runId) as RawResult | undefined;
  if (!r) return undefined;
  return {
    metrics: JSON.parse(r.metrics) as Metrics,
    warnings: JSON.parse(r.warnings) as string[],
    ...details(r),
    equity: r.equity_stored === 1 ? readF64(r.equity, r.codec) : null,
    equity_time: readF64(r.equity_time, r.codec),
    warmup: r.warmup,
  };
}

/** Trades, open trades and skipped orders only (paging them reads nothing else). */
export function loadBacktestDetails(db: Db, runId: string): Details | undefined {
  const r = statement(db, 'SELECT trades, open_trades, skipped, details, codec FROM run_results WHERE run_id = ?').get(runId) as Pick<RawResult, 'trades' | 'open_trades' | 'skipped' | 'details' | 'codec'> | undefined;
  return r ? details(r) : undefined;
}

/** Metrics and the equity curve (null when not stored) with its bar times, without the trades. */
export function loadBacktestEquity(db: Db, runId: string): { readonly metrics: Metrics; readonly equity: Float64Array | null; readonly equity_time: Float64Array | null } | undefined {
  const r = statement(db, 'SELECT metrics, equity, equity_time, equity_stored, codec FROM run_results WHERE run_id = ?').get(runId) as Pick<RawResult, 'metrics' | 'equity' | 'equity_time' | 'equity_stored' | 'codec'> | undefined;
  if (!r) return undefined;
  return { metrics: JSON.parse(r.metrics) as Metrics, equity: r.equity_stored === 1 ? readF64(r.equity, r.codec) : null, equity_time: readF64(r.equity_time, r.codec) };
}

/** Metrics and the number of closed trades, without reading the trades or the curve. */
export function loadBacktestSummary(db: Db, runId: string): { readonly metrics: Metrics; readonly n_trades: number } | undefined {
  const r = statement(db, 'SELECT metrics, n_trades FROM run_results WHERE run_id = ?').get(runId) as { metrics: string; n_trades: number } | undefined;
  return r ? { metrics: JSON.parse(r.metrics) as Metrics, n_trades: r.n_trades } : undefined;
}

/** Metrics of stored backtest runs by run id (only the metrics column is read; ids without a result are absent). */
export function loadMetricsByRun(db: Db, runIds: readonly string[]): Map<string, Metrics> {
  const out = new Map<string, Metrics>();
  const unique = [...new Set(runIds)];
  // at most 500 ids per query: SQLite limits the number of parameters of one statement
  for (let k = 0; k < unique.length; k += 500) {
    const chunk = unique.slice(k, k + 500);
    const rows = statement(db, `SELECT run_id, metrics FROM run_results WHERE run_id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as { run_id: string; metrics: string }[];
    for (const r of rows) out.set(r.run_id, JSON.parse(r.metrics) as Metrics);
  }
  return out;
}

export function hasBacktestResult(db: Db, runId: string): boolean {
  return statement(db, 'SELECT 1 FROM run_results WHERE run_id = ?').get(runId) !== undefined;
}
