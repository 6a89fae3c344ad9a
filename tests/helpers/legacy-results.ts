/**
 * A run_results row written the way tradelab wrote every row before migration 010 (codec 0:
 * trades, open trades and skipped orders as JSON text, the equity curve and bar times as raw
 * Float64 bytes): the old format, for readability and size comparisons.
 */
import type { StoredBacktest } from '../../src/storage/run-results.js';
import { statement, type Db } from '../../src/storage/db.js';

function raw(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function insertLegacyResult(db: Db, runId: string, r: StoredBacktest): void {
  statement(db,
    `INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, equity, equity_time, equity_stored, warmup, n_trades)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  ).run(runId, JSON.stringify(r.metrics), JSON.stringify(r.warnings), JSON.stringify(r.trades), JSON.stringify(r.open_trades), JSON.stringify(r.skipped), raw(r.equity), r.equity_time ? raw(r.equity_time) : null, r.warmup, r.trades.length);
}
