/** The evaluation cache shared by every study: fingerprint → metrics (+ ledger stats). */
import type { Metrics } from '../engine/backtest/types.js';
import type { LedgerStats } from '../engine/ledger.js';
import { statement, type Db } from './db.js';

export interface CachedResult {
  readonly metrics: Metrics;
  readonly warnings: string[];
  /** [step, value] pairs reported at checkpoints. */
  readonly intermediate: [number, number][];
  readonly ledger: LedgerStats | null;
}

interface Raw {
  metrics: string;
  warnings: string;
  intermediate: string;
  ledger: string | null;
}

export function getCachedResult(db: Db, fingerprint: string): CachedResult | undefined {
  const r = statement(db, 'SELECT metrics, warnings, intermediate, ledger FROM result_cache WHERE fingerprint = ?').get(fingerprint) as Raw | undefined;
  if (!r) return undefined;
  return {
    metrics: JSON.parse(r.metrics) as Metrics,
    warnings: JSON.parse(r.warnings) as string[],
    intermediate: JSON.parse(r.intermediate) as [number, number][],
    ledger: r.ledger === null ? null : (JSON.parse(r.ledger) as LedgerStats),
  };
}

export function putCachedResult(db: Db, fingerprint: string, r: CachedResult, now: number): void {
  statement(db, 'INSERT INTO result_cache (fingerprint, metrics, warnings, intermediate, ledger, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    fingerprint,
    JSON.stringify(r.metrics),
    JSON.stringify(r.warnings),
    JSON.stringify(r.intermediate),
    r.ledger === null ? null : JSON.stringify(r.ledger),
    now,
  );
}
