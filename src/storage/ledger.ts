/**
 * Trial-ledger repository: research families and their append-only entries.
 */
import { packBlocks, unpackBlocks, type LedgerStats } from '../engine/ledger.js';
import type { BlockMoment } from '../engine/validation/moments.js';
import { statement, type Db } from './db.js';

/**
 * What recorded an entry. 'trial' is an optimisation trial; 'wf_trial' an in-sample trial of
 * a walk-forward window's study; 'wf_window' one window's out-of-sample run with its frozen
 * params; 'wf_oos' the stitched out-of-sample curve of one walk-forward run (its params are
 * the walk-forward procedure, not one configuration); 'holdout' a top trial re-run on a later
 * holdout (optimize's validate).
 */
export const LEDGER_SOURCES = ['backtest', 'batch_item', 'trial', 'wf_trial', 'wf_window', 'holdout', 'wf_oos'] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/** 'pruned' and 'failed' entries count as evaluated configurations; 'pruned' ones carry no statistics. */
export const LEDGER_OUTCOMES = ['complete', 'pruned', 'failed'] as const;
export type LedgerOutcome = (typeof LEDGER_OUTCOMES)[number];

export interface FamilyKey {
  readonly strategy: string;
  readonly dataset_hash: string;
  /** Range bounds in epoch ms of the first and last bar actually used. */
  readonly range_from: number;
  readonly range_to: number;
  /** Market of the dataset (not part of the family's identity: the content hash is). */
  readonly symbol: string;
  readonly timeframe: string;
}

export interface LedgerEntryInput {
  readonly source_kind: LedgerSource;
  readonly source_id: string;
  readonly params_hash: string;
  readonly params: Record<string, unknown>;
  /** Default 'complete'. */
  readonly outcome?: LedgerOutcome;
  readonly stats: LedgerStats;
}

export interface LedgerEntry {
  readonly id: number;
  readonly source_kind: LedgerSource;
  readonly source_id: string;
  readonly params_hash: string;
  readonly params: Record<string, unknown>;
  readonly outcome: LedgerOutcome;
  readonly n_periods: number;
  readonly periods_per_year: number;
  readonly sharpe: number | null;
  readonly skew: number | null;
  readonly kurtosis_raw: number | null;
  readonly blocks: BlockMoment[];
}

export function ensureFamily(db: Db, key: FamilyKey, now: number): number {
  statement(db, 'INSERT INTO ledger_families (strategy, dataset_hash, range_from, range_to, created_at, symbol, timeframe) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    key.strategy,
    key.dataset_hash,
    key.range_from,
    key.range_to,
    now,
    key.symbol,
    key.timeframe,
  );
  const r = statement(db, 'SELECT id FROM ledger_families WHERE strategy = ? AND dataset_hash = ? AND range_from = ? AND range_to = ?')
    .get(key.strategy, key.dataset_hash, key.range_from, key.range_to) as { id: number };
  return r.id;
}

export function findFamily(db: Db, key: FamilyKey): number | undefined {
  const r = statement(db, 'SELECT id FROM ledger_families WHERE strategy = ? AND dataset_hash = ? AND range_from = ? AND range_to = ?')
    .get(key.strategy, key.dataset_hash, key.range_from, key.range_to) as { id: number } | undefined;
  return r?.id;
}

export function addLedgerEntry(db: Db, familyId: number, e: LedgerEntryInput, now: number): void {
  const s = e.stats;
  const blocks = packBlocks(s.blocks);
  statement(db,
    `INSERT INTO ledger_entries (family_id, source_kind, source_id, params_hash, params, outcome, n_periods, periods_per_year, sharpe, skew, kurtosis_raw, block_moments, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(familyId, e.source_kind, e.source_id, e.params_hash, JSON.stringify(e.params), e.outcome ?? 'complete', s.n_periods, s.periods_per_year, s.sharpe, s.skew, s.kurtosis_raw, Buffer.from(blocks.buffer), now);
}

interface RawEntry {
  id: number;
  family_id: number;
  source_kind: LedgerSource;
  source_id: string;
  params_hash: string;
  params: string;
  outcome: LedgerOutcome;
  n_periods: number;
  periods_per_year: number;
  sharpe: number | null;
  skew: number | null;
  kurtosis_raw: number | null;
  block_moments: Buffer;
}

/** A ledger entry with the research family it belongs to. */
export interface SourcedEntry extends LedgerEntry {
  readonly family_id: number;
}

function toEntry(r: RawEntry): SourcedEntry {
  const f = new Float64Array(r.block_moments.byteLength / 8);
  new Uint8Array(f.buffer).set(new Uint8Array(r.block_moments.buffer, r.block_moments.byteOffset, r.block_moments.byteLength));
  return { ...r, params: JSON.parse(r.params) as Record<string, unknown>, blocks: unpackBlocks(f) };
}

export function familyEntries(db: Db, familyId: number): SourcedEntry[] {
  return (statement(db, 'SELECT * FROM ledger_entries WHERE family_id = ? ORDER BY id').all(familyId) as RawEntry[]).map(toEntry);
}

/** Entries whose source id is exactly `sourceId`. */
export function entriesBySource(db: Db, kind: LedgerSource, sourceId: string): SourcedEntry[] {
  return (statement(db, 'SELECT * FROM ledger_entries WHERE source_kind = ? AND source_id = ? ORDER BY id').all(kind, sourceId) as RawEntry[]).map(toEntry);
}

/** Entries whose source id starts with `prefix` (e.g. `opt_x#` = every trial of run opt_x). */
export function entriesBySourcePrefix(db: Db, kind: LedgerSource, prefix: string): SourcedEntry[] {
  return (
    statement(db, 'SELECT * FROM ledger_entries WHERE source_kind = ? AND substr(source_id, 1, ?) = ? ORDER BY id').all(kind, prefix.length, prefix) as RawEntry[]
  ).map(toEntry);
}

export interface FamilyCounts {
  readonly entries: number;
  /** Distinct configurations (params hashes) tried. */
  readonly configurations: number;
  readonly by_source: Record<string, number>;
}

export function familyCounts(db: Db, familyId: number): FamilyCounts {
  const rows = statement(db, 'SELECT source_kind, COUNT(*) AS n FROM ledger_entries WHERE family_id = ? GROUP BY source_kind').all(familyId) as { source_kind: string; n: number }[];
  const { d } = statement(db, 'SELECT COUNT(DISTINCT params_hash) AS d FROM ledger_entries WHERE family_id = ?').get(familyId) as { d: number };
  const by: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    by[r.source_kind] = r.n;
    total += r.n;
  }
  return { entries: total, configurations: d, by_source: by };
}

/** Distinct configurations (params hashes) among entries whose source id starts with `prefix`. */
export function distinctConfigurationsBySourcePrefix(db: Db, kind: LedgerSource, prefix: string): number {
  const r = statement(db, 'SELECT COUNT(DISTINCT params_hash) AS d FROM ledger_entries WHERE source_kind = ? AND substr(source_id, 1, ?) = ?').get(kind, prefix.length, prefix) as { d: number };
  return r.d;
}
