/**
 * Finding trial-ledger entries by their source (a run id, or every trial of one optimisation
 * run via the `<run id>#` prefix), with the family each belongs to. Read-only companion of
 * ledger.ts for the champion gates (PBO of an optimisation's trials, N for the DSR).
 */
import { unpackBlocks } from '../engine/ledger.js';
import type { Db } from './db.js';
import type { LedgerEntry, LedgerSource } from './ledger.js';

export interface SourcedEntry extends LedgerEntry {
  readonly family_id: number;
}

interface Raw {
  id: number;
  family_id: number;
  source_kind: LedgerSource;
  source_id: string;
  params_hash: string;
  params: string;
  n_periods: number;
  periods_per_year: number;
  sharpe: number | null;
  skew: number | null;
  kurtosis_raw: number | null;
  block_moments: Buffer;
}

function toEntry(r: Raw): SourcedEntry {
  const f = new Float64Array(r.block_moments.byteLength / 8);
  new Uint8Array(f.buffer).set(new Uint8Array(r.block_moments.buffer, r.block_moments.byteOffset, r.block_moments.byteLength));
  return { ...r, params: JSON.parse(r.params) as Record<string, unknown>, blocks: unpackBlocks(f) };
}

/** Entries whose source id is exactly `sourceId`. */
export function entriesBySource(db: Db, kind: LedgerSource, sourceId: string): SourcedEntry[] {
  const rows = db.prepare('SELECT * FROM ledger_entries WHERE source_kind = ? AND source_id = ? ORDER BY id').all(kind, sourceId) as Raw[];
  return rows.map(toEntry);
}

/** Entries whose source id starts with `prefix` (e.g. `opt_x#` = every trial of run opt_x). */
export function entriesBySourcePrefix(db: Db, kind: LedgerSource, prefix: string): SourcedEntry[] {
  const rows = db
    .prepare('SELECT * FROM ledger_entries WHERE source_kind = ? AND substr(source_id, 1, ?) = ? ORDER BY id')
    .all(kind, prefix.length, prefix) as Raw[];
  return rows.map(toEntry);
}
