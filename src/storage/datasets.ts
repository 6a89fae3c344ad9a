/**
 * Dataset repository: immutable, content-hashed candle series stored as column blobs.
 * Functions take the db handle first (no module-level db).
 */
import { createHash } from 'node:crypto';
import type { Candles } from '../engine/data/candles.js';
import { statement, writeTransaction, type Db } from './db.js';

/** Rows per stored chunk: 64k bars × 8 bytes = 512 KiB per column blob. */
export const CHUNK_ROWS = 65_536;

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

const COLS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** sha256 over the six columns' raw Float64 bytes, in a fixed order. */
export function contentHash(c: Candles): string {
  const h = createHash('sha256');
  for (const col of COLS) {
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
}

/**
 * Stores a candle series. Identical content for the same symbol/timeframe returns the
 * existing dataset (`created: false`); different content becomes the next version.
 * All chunks and the dataset row are written in one transaction.
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
    const info = statement(db,
        `INSERT INTO datasets (symbol, timeframe, version, content_hash, source, is_synthetic, rows, first_time, last_time, created_at, meta)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.symbol, c.timeframe, v, hash, input.source, input.isSynthetic ? 1 : 0, n, c.time[0], c.time[n - 1], input.now, JSON.stringify(input.meta ?? {}));
    const id = Number(info.lastInsertRowid);
    const ins = statement(db,
      'INSERT INTO candle_chunks (dataset_id, chunk, rows, time, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (let chunk = 0, start = 0; start < n; chunk++, start += CHUNK_ROWS) {
      const end = Math.min(n, start + CHUNK_ROWS);
      const blobs = COLS.map((col) => {
        const a = c[col].subarray(start, end);
        return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      });
      ins.run(id, chunk, end - start, ...blobs);
    }
    return { dataset: getDataset(db, id) as DatasetRow, created: true };
  });
}

export function getDataset(db: Db, id: number): DatasetRow | undefined {
  const r = statement(db, 'SELECT * FROM datasets WHERE id = ?').get(id) as RawDatasetRow | undefined;
  return r ? toRow(r) : undefined;
}

/** The latest version (or the given one) of symbol/timeframe. Symbol match is case-insensitive. */
export function findDataset(db: Db, symbol: string, timeframe: string, version?: number): DatasetRow | undefined {
  const r = (
    version === undefined
      ? statement(db, 'SELECT * FROM datasets WHERE symbol = ? COLLATE NOCASE AND timeframe = ? ORDER BY version DESC LIMIT 1')
          .get(symbol, timeframe)
      : statement(db, 'SELECT * FROM datasets WHERE symbol = ? COLLATE NOCASE AND timeframe = ? AND version = ?').get(symbol, timeframe, version)
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

interface ChunkRow {
  rows: number;
  time: Buffer;
  open: Buffer;
  high: Buffer;
  low: Buffer;
  close: Buffer;
  volume: Buffer;
}

/**
 * Loads a dataset's candles into fresh columnar arrays (one copy per blob); `shared`: each
 * column in a SharedArrayBuffer of its own, which worker threads can use without a copy.
 */
export function loadCandles(db: Db, ds: DatasetRow, opts: { readonly shared?: boolean } = {}): Candles {
  const n = ds.rows;
  const column = (): Float64Array => (opts.shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
  const out = { time: column(), open: column(), high: column(), low: column(), close: column(), volume: column() };
  // one chunk at a time, so only one chunk's blobs (3 MiB) are held beside the columns, not a
  // second copy of the whole series (10M bars: 480 MB of blobs on top of 480 MB of columns)
  const read = statement(db, 'SELECT rows, time, open, high, low, close, volume FROM candle_chunks WHERE dataset_id = ? AND chunk = ?');
  let at = 0;
  for (let k = 0; ; k++) {
    const ch = read.get(ds.id, k) as ChunkRow | undefined;
    if (!ch) break;
    if (at + ch.rows > n) throw new Error(`dataset ${ds.id} is damaged: more than ${n} stored bars`);
    for (const col of COLS) {
      const b = ch[col];
      // Blobs come back as Buffers that may not be 8-byte aligned: copy bytes, then view.
      new Uint8Array(out[col].buffer, at * 8, ch.rows * 8).set(new Uint8Array(b.buffer, b.byteOffset, ch.rows * 8));
    }
    at += ch.rows;
  }
  if (at !== n) throw new Error(`dataset ${ds.id} is damaged: ${at} stored bars, ${n} expected`);
  return { symbol: ds.symbol, timeframe: ds.timeframe, ...out };
}

/** A chunk's row count and the time of its first bar (8 bytes read by SQL; the chunk is not returned). */
function chunkHead(db: Db, datasetId: number, chunk: number): { rows: number; first: number } {
  const r = statement(db, 'SELECT rows, substr(time, 1, 8) AS t FROM candle_chunks WHERE dataset_id = ? AND chunk = ?').get(datasetId, chunk) as { rows: number; t: Buffer } | undefined;
  if (!r || r.t.length !== 8) throw new Error(`dataset ${datasetId} is damaged: chunk ${chunk} is missing`);
  return { rows: r.rows, first: r.t.readDoubleLE(0) };
}

/**
 * Index of the first bar with time >= t, reading a few chunk heads and one chunk's time
 * column. insertDataset writes CHUNK_ROWS bars per chunk (the last one fewer), so chunk k
 * starts at bar k · CHUNK_ROWS; each chunk read is checked against that.
 */
function rowLowerBound(db: Db, ds: DatasetRow, t: number): number {
  if (t <= ds.first_time) return 0;
  if (t > ds.last_time) return ds.rows;
  const n = Math.ceil(ds.rows / CHUNK_ROWS);
  const head = (k: number): number => {
    const h = chunkHead(db, ds.id, k);
    if (h.rows !== Math.min(CHUNK_ROWS, ds.rows - k * CHUNK_ROWS)) throw new Error(`dataset ${ds.id} is damaged: chunk ${k} holds ${h.rows} bars`);
    return h.first;
  };
  // the last chunk whose first bar is before t holds the answer (or it is the next chunk's start)
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (head(mid) < t) lo = mid;
    else hi = mid - 1;
  }
  const r = statement(db, 'SELECT rows, time FROM candle_chunks WHERE dataset_id = ? AND chunk = ?').get(ds.id, lo) as { rows: number; time: Buffer } | undefined;
  if (!r || r.time.length !== r.rows * 8) throw new Error(`dataset ${ds.id} is damaged: chunk ${lo} is missing`);
  let a = 0;
  let z = r.rows;
  while (a < z) {
    const mid = (a + z) >>> 1;
    if (r.time.readDoubleLE(mid * 8) < t) a = mid + 1;
    else z = mid;
  }
  return lo * CHUNK_ROWS + a;
}

/**
 * Bars of a stored dataset with from <= time < to (null = unbounded), counted without loading
 * the candles: from the dataset row when the range covers it, else from a few chunk heads
 * and at most two chunks' time columns (limits are checked with this before a load).
 */
export function countBarsInRange(db: Db, ds: DatasetRow, from: number | null, to: number | null): number {
  if ((from === null || from <= ds.first_time) && (to === null || to > ds.last_time)) return ds.rows;
  const lo = from === null ? 0 : rowLowerBound(db, ds, from);
  const hi = to === null ? ds.rows : rowLowerBound(db, ds, to);
  return Math.max(0, hi - lo);
}
