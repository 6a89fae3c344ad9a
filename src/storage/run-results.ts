/**
 * Stored backtest payloads: metrics, warnings, trades (JSON, paged on read), skipped
 * orders, open trades, and the equity curve as raw Float64 bytes.
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

export function saveBacktestResult(db: Db, runId: string, r: StoredBacktest): void {
  db.prepare(
    `INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, equity, equity_time, warmup, n_trades)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    JSON.stringify(r.metrics),
    JSON.stringify(r.warnings),
    JSON.stringify(r.trades),
    JSON.stringify(r.open_trades),
    JSON.stringify(r.skipped),
    blob(r.equity),
    r.equity_time ? blob(r.equity_time) : null,
    r.warmup,
    r.trades.length,
  );
}

interface RawResult {
  metrics: string;
  warnings: string;
  trades: string;
  open_trades: string;
  skipped: string;
  equity: Buffer;
  equity_time: Buffer | null;
  warmup: number;
}

export function loadBacktestResult(db: Db, runId: string): StoredBacktest | undefined {
  const r = db.prepare('SELECT * FROM run_results WHERE run_id = ?').get(runId) as RawResult | undefined;
  if (!r) return undefined;
  return {
    metrics: JSON.parse(r.metrics) as Metrics,
    warnings: JSON.parse(r.warnings) as string[],
    trades: JSON.parse(r.trades) as Trade[],
    open_trades: JSON.parse(r.open_trades) as OpenTrade[],
    skipped: JSON.parse(r.skipped) as SkippedOrder[],
    equity: f64(r.equity) as Float64Array,
    equity_time: f64(r.equity_time),
    warmup: r.warmup,
  };
}

export function hasBacktestResult(db: Db, runId: string): boolean {
  return db.prepare('SELECT 1 FROM run_results WHERE run_id = ?').get(runId) !== undefined;
}
