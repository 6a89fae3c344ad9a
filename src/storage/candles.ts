/**
 * The stored bars of a dataset (table `candle_columns`, migration 014): each column (time,
 * open, high, low, close, volume) as raw little-endian Float64 bytes in one blob per part of
 * up to PART_ROWS bars, one row per (dataset, part, column) in an ordinary rowid table.
 *
 * Why this shape (1,000,000 bars load in a few milliseconds):
 * - a rowid table: its key lookups compare small index entries and integer rowids. The
 *   earlier WITHOUT ROWID table kept the six 512 KiB blobs of a chunk in its index b-tree,
 *   whose key comparisons read a whole 3 MiB row (overflow chain and all) per probe; that,
 *   not the copying, was most of a load (SQLite: WITHOUT ROWID suits rows under ~1/20 page);
 * - one blob per column and part: a dataset of up to PART_ROWS bars is six reads, and each
 *   Buffer SQLite returns (8-byte aligned, a copy of its own) is used as the column itself
 *   instead of being copied again; larger datasets copy their parts into one array per
 *   column, one part at a time, so only one part's blob is held beside the columns.
 */
import { lowerBound, type Candles } from '../engine/data/candles.js';
import type { DatasetRow } from './datasets.js';
import { statement, type Db } from './db.js';

/** Bars per stored part: 4,194,304 bars, 32 MiB per column blob. */
export const PART_ROWS = 1 << 22;

export const CANDLE_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
type Column = (typeof CANDLE_COLUMNS)[number];

/**
 * Writes the columns of `c` as parts of `partRows` bars (smaller only in tests); inside the
 * caller's transaction (insertDataset), right after the dataset row.
 */
export function writeCandleColumns(db: Db, datasetId: number, c: Candles, partRows = PART_ROWS): void {
  const n = c.time.length;
  const ins = statement(db, 'INSERT INTO candle_columns (dataset_id, part, col, rows, data) VALUES (?, ?, ?, ?, ?)');
  for (let part = 0, start = 0; start < n; part++, start += partRows) {
    const end = Math.min(n, start + partRows);
    for (const col of CANDLE_COLUMNS) {
      const a = c[col].subarray(start, end);
      ins.run(datasetId, part, col, end - start, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    }
  }
}

/** Row counts of a dataset's parts, in order (read from the rows' headers, not their blobs). */
function partRows(db: Db, datasetId: number): number[] {
  const rows = statement(db, "SELECT part, rows FROM candle_columns WHERE dataset_id = ? AND col = 'time' ORDER BY part").all(datasetId) as { part: number; rows: number }[];
  rows.forEach((r, i) => {
    if (r.part !== i) throw new Error(`dataset ${datasetId} is damaged: part ${i} is missing`);
  });
  return rows.map((r) => r.rows);
}

/** One part of one column as stored: a view of the blob's own Buffer when it is 8-byte aligned, else a copy. */
function readPart(db: Db, datasetId: number, part: number, col: Column, rows: number): Float64Array {
  const r = statement(db, 'SELECT data FROM candle_columns WHERE dataset_id = ? AND part = ? AND col = ?').get(datasetId, part, col) as { data: Buffer } | undefined;
  if (!r || r.data.length !== rows * 8) throw new Error(`dataset ${datasetId} is damaged: ${col} of part ${part} is ${r ? `${r.data.length} bytes, not ${rows * 8}` : 'missing'}`);
  const b = r.data;
  if (b.byteOffset % 8 === 0) return new Float64Array(b.buffer, b.byteOffset, rows);
  const copy = new Float64Array(rows);
  new Uint8Array(copy.buffer).set(b);
  return copy;
}

/**
 * Loads a dataset's candles into columnar arrays of their own; `shared`: each column in a
 * SharedArrayBuffer of its own, which worker threads use without a copy.
 */
export function loadCandles(db: Db, ds: DatasetRow, opts: { readonly shared?: boolean } = {}): Candles {
  const n = ds.rows;
  const parts = partRows(db, ds.id);
  const stored = parts.reduce((s, r) => s + r, 0);
  if (stored !== n) throw new Error(`dataset ${ds.id} is damaged: ${stored} stored bars, ${n} expected`);
  const column = (col: Column): Float64Array => {
    // one part: its blob is the column (unless the column must be shared with workers)
    if (parts.length === 1 && !opts.shared) return readPart(db, ds.id, 0, col, n);
    const out = opts.shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
    let at = 0;
    parts.forEach((rows, k) => {
      out.set(readPart(db, ds.id, k, col, rows), at);
      at += rows;
    });
    return out;
  };
  return {
    symbol: ds.symbol,
    timeframe: ds.timeframe,
    time: column('time'),
    open: column('open'),
    high: column('high'),
    low: column('low'),
    close: column('close'),
    volume: column('volume'),
  };
}

/** Index of the first bar with time >= t: the part that holds it is found by its last bar, then searched. */
function rowLowerBound(db: Db, ds: DatasetRow, t: number): number {
  if (t <= ds.first_time) return 0;
  if (t > ds.last_time) return ds.rows;
  let start = 0;
  const parts = partRows(db, ds.id);
  for (let k = 0; k < parts.length; k++) {
    const time = readPart(db, ds.id, k, 'time', parts[k]);
    if (time[time.length - 1] >= t) return start + lowerBound(time, t);
    start += parts[k];
  }
  return ds.rows;
}

/**
 * Bars of a stored dataset with from <= time < to (null = unbounded), counted without loading
 * the candles: from the dataset row when the range covers it, else from the time column of
 * the part(s) holding the bounds (limits are checked with this before a load).
 */
export function countBarsInRange(db: Db, ds: DatasetRow, from: number | null, to: number | null): number {
  if ((from === null || from <= ds.first_time) && (to === null || to > ds.last_time)) return ds.rows;
  const lo = from === null ? 0 : rowLowerBound(db, ds, from);
  const hi = to === null ? ds.rows : rowLowerBound(db, ds, to);
  return Math.max(0, hi - lo);
}
