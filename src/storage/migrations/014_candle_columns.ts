import type Database from 'better-sqlite3';
import type { Migration } from './types.js';

/** Bars per part written by this migration (storage/candles.ts PART_ROWS when it was written). */
const PART_ROWS = 1 << 22;
const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Candles move from `candle_chunks` (migration 001: a WITHOUT ROWID table, six 512 KiB blobs
 * of 65,536 bars per row) to `candle_columns`: an ordinary rowid table with one blob per
 * (dataset, part, column), a part holding up to 4,194,304 bars. Loading a million bars from
 * the old table spent most of its time in the WITHOUT ROWID index b-tree, whose key
 * comparisons read whole 3 MiB rows; see storage/candles.ts.
 *
 * Lossless: each column's bytes are the old chunks' bytes of that column concatenated in
 * chunk order, byte for byte (no number is decoded), and the stored bar count of every dataset
 * is checked against `datasets.rows` before the old table is dropped. One column of one part
 * is held in memory at a time. Like the old chunks, the new rows are immutable.
 */
export const migration014: Migration = {
  version: 14,
  name: 'candle_columns',
  up(db) {
    createCandleColumns(db);
    moveCandleChunks(db, PART_ROWS);
  },
};

export function createCandleColumns(db: Database.Database): void {
  db.exec(`
    CREATE TABLE candle_columns (
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      part       INTEGER NOT NULL CHECK (part >= 0),
      col        TEXT    NOT NULL CHECK (col IN ('time', 'open', 'high', 'low', 'close', 'volume')),
      rows       INTEGER NOT NULL CHECK (rows >= 1),
      data       BLOB    NOT NULL CHECK (length(data) = 8 * rows),
      PRIMARY KEY (dataset_id, part, col)
    ) STRICT;

    CREATE TRIGGER candle_columns_immutable BEFORE UPDATE ON candle_columns
    BEGIN SELECT RAISE(ABORT, 'candle columns are immutable'); END;
  `);
}

/** Copies every dataset's chunks into parts of at most `partRows` bars (ending on chunk boundaries), then drops candle_chunks. */
export function moveCandleChunks(db: Database.Database, partRows: number): void {
  const datasets = db.prepare('SELECT id, rows FROM datasets ORDER BY id').all() as { id: number; rows: number }[];
  for (const ds of datasets) copyDataset(db, ds.id, ds.rows, partRows);
  db.exec('DROP TABLE candle_chunks');
}

function copyDataset(db: Database.Database, id: number, rows: number, partRows: number): void {
  const chunks = db.prepare('SELECT chunk, rows FROM candle_chunks WHERE dataset_id = ? ORDER BY chunk').all(id) as { chunk: number; rows: number }[];
  const stored = chunks.reduce((s, c) => s + c.rows, 0);
  chunks.forEach((c, i) => {
    if (c.chunk !== i) throw new Error(`migration 14: dataset ${id} is damaged: chunk ${i} is missing`);
  });
  if (stored !== rows) throw new Error(`migration 14: dataset ${id} is damaged: ${stored} stored bars, ${rows} expected`);
  const insert = db.prepare('INSERT INTO candle_columns (dataset_id, part, col, rows, data) VALUES (?, ?, ?, ?, ?)');
  for (const col of COLUMNS) {
    // the column is named from the fixed list above, never from input
    const read = db.prepare(`SELECT ${col} AS data FROM candle_chunks WHERE dataset_id = ? AND chunk = ?`);
    let part = 0;
    let pieces: Buffer[] = [];
    let bars = 0;
    const flush = (): void => {
      insert.run(id, part++, col, bars, Buffer.concat(pieces));
      pieces = [];
      bars = 0;
    };
    for (const c of chunks) {
      const { data } = read.get(id, c.chunk) as { data: Buffer };
      if (data.length !== c.rows * 8) throw new Error(`migration 14: dataset ${id} is damaged: ${col} of chunk ${c.chunk} is ${data.length} bytes, not ${c.rows * 8}`);
      // parts end on chunk boundaries (PART_ROWS is 64 whole chunks of the old 65,536 bars)
      if (bars > 0 && bars + c.rows > partRows) flush();
      pieces.push(data);
      bars += c.rows;
    }
    if (bars > 0) flush();
  }
}
