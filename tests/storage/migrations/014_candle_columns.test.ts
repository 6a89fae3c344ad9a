import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Candles } from '../../../src/engine/data/candles.js';
import { contentHash, countBarsInRange, getDataset, loadCandles } from '../../../src/storage/datasets.js';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS, type Migration } from '../../../src/storage/migrations/index.js';
import { createCandleColumns, migration014, moveCandleChunks } from '../../../src/storage/migrations/014_candle_columns.js';
import { makeCandles } from '../helpers.js';

const COLS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
/** The chunk size the code before migration 014 wrote. */
const OLD_CHUNK_ROWS = 65_536;

/** A dataset as the code before migration 014 stored it: a datasets row and candle_chunks of `chunkRows` bars (the old insertDataset). */
function insertOld(db: Database.Database, c: Candles, chunkRows: readonly number[] | number = OLD_CHUNK_ROWS): number {
  const n = c.time.length;
  const info = db
    .prepare(
      `INSERT INTO datasets (symbol, timeframe, version, content_hash, source, is_synthetic, rows, first_time, last_time, created_at, meta)
       VALUES (?, ?, 1, ?, 'old', 0, ?, ?, ?, 0, '{}')`,
    )
    .run(c.symbol, c.timeframe, contentHash(c), n, c.time[0], c.time[n - 1]);
  const id = Number(info.lastInsertRowid);
  const ins = db.prepare('INSERT INTO candle_chunks (dataset_id, chunk, rows, time, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const sizes = typeof chunkRows === 'number' ? [] : [...chunkRows];
  for (let chunk = 0, start = 0; start < n; chunk++) {
    const end = Math.min(n, start + (typeof chunkRows === 'number' ? chunkRows : (sizes.shift() ?? n)));
    ins.run(id, chunk, end - start, ...COLS.map((col) => Buffer.from(c[col].buffer, c[col].byteOffset + start * 8, (end - start) * 8)));
    start = end;
  }
  return id;
}

function v13(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 13);
  return db;
}

function expectSameBits(db: Database.Database, id: number, c: Candles): void {
  const ds = getDataset(db, id)!;
  for (const shared of [false, true]) {
    const back = loadCandles(db, ds, { shared });
    for (const col of COLS) expect(Buffer.compare(Buffer.from(back[col].buffer, back[col].byteOffset, back[col].byteLength), Buffer.from(c[col].buffer, c[col].byteOffset, c[col].byteLength)), col).toBe(0);
    expect(contentHash(back)).toBe(ds.content_hash);
  }
}

/** The migrations up to 014, whose parts hold `partRows` bars instead of 4,194,304. */
function withPartRows(partRows: number): Migration[] {
  const up = (d: Database.Database): void => {
    createCandleColumns(d);
    moveCandleChunks(d, partRows);
  };
  return [...MIGRATIONS.slice(0, 13), { ...migration014, up }];
}

const parts = (db: Database.Database, id: number): number[] =>
  (db.prepare("SELECT rows FROM candle_columns WHERE dataset_id = ? AND col = 'time' ORDER BY part").all(id) as { rows: number }[]).map((r) => r.rows);

describe('migration 014 (candle columns)', () => {
  it('moves a store written by the old code losslessly: every dataset loads bit for bit as before', () => {
    const db = v13();
    const big = makeCandles(OLD_CHUNK_ROWS * 2 + 77, { symbol: 'BIG' });
    big.volume.set([-0, NaN, Infinity, Number.MIN_VALUE], 5);
    new DataView(big.close.buffer).setBigUint64(OLD_CHUNK_ROWS * 8, 0x7ff4000000000001n, true); // a NaN payload
    const small = makeCandles(10, { symbol: 'SMALL', timeframe: '1d' });
    const one = makeCandles(1, { symbol: 'ONE' });
    const ids = [insertOld(db, big), insertOld(db, small), insertOld(db, one)];
    db.prepare("INSERT INTO runs (id, kind, status, spec, created_at, dataset_id) VALUES ('bt_a', 'backtest', 'succeeded', '{}', 0, ?)").run(ids[0]);

    expect(migrate(db, MIGRATIONS, 14)).toBe(14);
    expect(schemaVersion(db)).toBe(14);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'candle_chunks'").get()).toBeUndefined();
    expectSameBits(db, ids[0], big);
    expectSameBits(db, ids[1], small);
    expectSameBits(db, ids[2], one);
    expect(parts(db, ids[0])).toEqual([OLD_CHUNK_ROWS * 2 + 77]);
    const ds = getDataset(db, ids[0])!;
    expect(countBarsInRange(db, ds, big.time[OLD_CHUNK_ROWS], null)).toBe(OLD_CHUNK_ROWS + 77);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() => db.prepare('UPDATE candle_columns SET rows = rows').run()).toThrow(/immutable/);
    expect(db.prepare("SELECT dataset_id FROM runs WHERE id = 'bt_a'").get()).toEqual({ dataset_id: ids[0] });
  });

  it('splits a long series into parts on chunk boundaries, of whatever sizes the chunks have', () => {
    const db = v13();
    const a = makeCandles(OLD_CHUNK_ROWS * 4 + 3, { symbol: 'A' });
    const b = makeCandles(35, { symbol: 'B' });
    const ids = [insertOld(db, a), insertOld(db, b, [10, 20, 5])];
    // the migration as released, but with parts of two old chunks (its parts hold 64)
    migrate(db, withPartRows(OLD_CHUNK_ROWS * 2));
    expect(parts(db, ids[0])).toEqual([OLD_CHUNK_ROWS * 2, OLD_CHUNK_ROWS * 2, 3]);
    expectSameBits(db, ids[0], a);
    const ds = getDataset(db, ids[0])!;
    for (const k of [0, OLD_CHUNK_ROWS * 2 - 1, OLD_CHUNK_ROWS * 2, OLD_CHUNK_ROWS * 4 + 2]) expect(countBarsInRange(db, ds, a.time[k], null)).toBe(a.time.length - k);
    const db2 = v13();
    const id2 = insertOld(db2, b, [10, 20, 5]);
    migrate(db2, withPartRows(25));
    expect(parts(db2, id2)).toEqual([10, 25]);
    expectSameBits(db2, id2, b);
    expect(parts(db, ids[1])).toEqual([35]);
  });

  it('refuses a damaged old store and changes nothing', () => {
    const db = v13();
    const id = insertOld(db, makeCandles(OLD_CHUNK_ROWS + 5));
    db.prepare('DELETE FROM candle_chunks WHERE dataset_id = ? AND chunk = 1').run(id);
    expect(() => migrate(db)).toThrow(/dataset \d+ is damaged: 65536 stored bars, 65541 expected/);
    expect(schemaVersion(db)).toBe(13);
    expect(db.prepare('SELECT COUNT(*) AS n FROM candle_chunks').get()).toEqual({ n: 1 });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'candle_columns'").get()).toBeUndefined();
  });
});
