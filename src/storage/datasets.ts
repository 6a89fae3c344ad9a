/**
 * Dataset repository: immutable, content-hashed candle series; their bars are stored as
 * column blobs (storage/candles.ts). Functions take the db handle first (no module-level db).
 */
import { createHash } from 'node:crypto';
import type { Candles } from '../engine/data/candles.js';
import { CANDLE_COLUMNS, writeCandleColumns } from './candles.js';
import { isPostgres, statement, writeTransaction, type Db } from './db.js';

export { countBarsInRange, loadCandles, PART_ROWS } from './candles.js';

export interface DatasetRow {
  readonly id: number;
  readonly symbol: string;
  readonly timeframe: string;
  readonly version: number;
  readonly content_hash: string;
  readonly source: string;
  readonly is_synthetic: boolean;
  readonly rows: number;
  readonly first_time: number;
  readonly last_time: number;
  readonly created_at: number;
  readonly meta: Record<string, unknown>;
}

interface RawDatasetRow extends Omit<DatasetRow, 'is_synthetic' | 'meta'> {
  is_synthetic: number;
  meta: string;
}

/** sha256 over the six columns' raw Float64 bytes, in a fixed order. */
export function contentHash(c: Candles): string {
  const h = createHash('sha256');
  for (const col of CANDLE_COLUMNS) {
    const a = c[col];
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

function toRow(r: RawDatasetRow): DatasetRow {
  return { ...r, is_synthetic: r.is_synthetic === 1, meta: JSON.parse(r.meta) as Record<string, unknown> };
}

export interface InsertDatasetInput {
  readonly candles: Candles;
  readonly source: string;
  readonly isSynthetic?: boolean;
  readonly meta?: Record<string, unknown>;
  readonly now: number;
  /** Bars per stored part (default PART_ROWS; smaller only in tests). */
  readonly partRows?: number;
}

/**
 * Stores a candle series. Identical content for the same symbol/timeframe returns the
 * existing dataset (`created: false`); different content becomes the next version.
 * The dataset row and all its column blobs are written in one transaction.
 */
export function insertDataset(db: Db, input: InsertDatasetInput): { dataset: DatasetRow; created: boolean } {
  const c = input.candles;
  const n = c.time.length;
  if (n === 0) throw new Error('cannot store an empty candle series');
  const hash = contentHash(c);
  return writeTransaction(db, () => {
    const existing = statement(db, 'SELECT * FROM datasets WHERE symbol = ? AND timeframe = ? AND content_hash = ?')
      .get(c.symbol, c.timeframe, hash) as RawDatasetRow | undefined;
    if (existing) return { dataset: toRow(existing), created: false };
    const { v } = statement(db, 'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM datasets WHERE symbol = ? AND timeframe = ?')
      .get(c.symbol, c.timeframe) as { v: number };
    const { id } = statement(db,
        `INSERT INTO datasets (symbol, timeframe, version, content_hash, source, is_synthetic, rows, first_time, last_time, created_at, meta)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(c.symbol, c.timeframe, v, hash, input.source, input.isSynthetic ? 1 : 0, n, c.time[0], c.time[n - 1], input.now, JSON.stringify(input.meta ?? {})) as { id: number };
    writeCandleColumns(db, id, c, input.partRows);
    return { dataset: getDataset(db, id) as DatasetRow, created: true };
  });
}

export function getDataset(db: Db, id: number): DatasetRow | undefined {
  const r = statement(db, 'SELECT * FROM datasets WHERE id = ?').get(id) as RawDatasetRow | undefined;
  return r ? toRow(r) : undefined;
}

/**
 * `symbol = ?` ignoring the case of ASCII letters only, as SQLite's NOCASE does. PostgreSQL
 * has no NOCASE collation; its lower() under the "C" collation folds ASCII letters only.
 */
function symbolIs(db: Db): string {
  return isPostgres(db) ? 'lower(symbol) = lower(CAST(? AS TEXT) COLLATE "C")' : 'symbol = ? COLLATE NOCASE';
}

/** The latest version (or the given one) of symbol/timeframe. Symbol match is case-insensitive (ASCII). */
export function findDataset(db: Db, symbol: string, timeframe: string, version?: number): DatasetRow | undefined {
  const r = (
    version === undefined
      ? statement(db, `SELECT * FROM datasets WHERE ${symbolIs(db)} AND timeframe = ? ORDER BY version DESC LIMIT 1`).get(symbol, timeframe)
      : statement(db, `SELECT * FROM datasets WHERE ${symbolIs(db)} AND timeframe = ? AND version = ?`).get(symbol, timeframe, version)
  ) as RawDatasetRow | undefined;
  return r ? toRow(r) : undefined;
}

export function findDatasetByHash(db: Db, hash: string): DatasetRow | undefined {
  const r = statement(db, 'SELECT * FROM datasets WHERE content_hash = ? ORDER BY id LIMIT 1').get(hash) as RawDatasetRow | undefined;
  return r ? toRow(r) : undefined;
}

export function listDatasets(db: Db): DatasetRow[] {
  return (statement(db, 'SELECT * FROM datasets ORDER BY symbol, timeframe, version').all() as RawDatasetRow[]).map(toRow);
}

export function countDatasets(db: Db): number {
  return (statement(db, 'SELECT COUNT(*) AS n FROM datasets').get() as { n: number }).n;
}
