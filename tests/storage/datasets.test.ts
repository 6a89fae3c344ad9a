import { describe, expect, it } from 'vitest';
import { statement } from '../../src/storage/db.js';
import { lowerBound } from '../../src/engine/data/candles.js';
import { contentHash, countBarsInRange, countDatasets, findDataset, findDatasetByHash, getDataset, insertDataset, listDatasets, loadCandles } from '../../src/storage/datasets.js';
import { eachStore } from '../helpers/stores.js';
import { makeCandles } from './helpers.js';

/** A small part size, so that the tests store datasets of several parts cheaply. */
const PART = 4096;
const COLS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

const stores = eachStore();

describe.each(stores)('datasets repository ($kind store)', (store) => {
  it('round-trips candles across several parts bit for bit, plain or shared', () => {
    const db = store.open();
    const c = makeCandles(PART * 2 + 123);
    const { dataset, created } = insertDataset(db, { candles: c, source: 'test', now: 1, partRows: PART });
    expect(created).toBe(true);
    expect(dataset.rows).toBe(c.time.length);
    expect(dataset.first_time).toBe(c.time[0]);
    expect(statement(db, 'SELECT part, col, rows FROM candle_columns WHERE dataset_id = ? ORDER BY part, col').all(dataset.id)).toHaveLength(18);
    for (const shared of [false, true]) {
      const back = loadCandles(db, dataset, { shared });
      for (const col of COLS) {
        expect(back[col].length).toBe(c.time.length);
        expect(Buffer.compare(Buffer.from(back[col].buffer, back[col].byteOffset, back[col].byteLength), Buffer.from(c[col].buffer))).toBe(0);
      }
      expect(contentHash(back)).toBe(dataset.content_hash);
    }
  });

  it('a dataset of one part loads each column as its own array, bit for bit, whatever the values', () => {
    const db = store.open();
    const c = makeCandles(1000);
    // stored bytes are not numbers to SQLite: every bit pattern comes back as it went in
    c.volume.set([-0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE]);
    new DataView(c.open.buffer).setBigUint64(8, 0x7ff4000000000001n, true); // a signalling NaN payload
    const { dataset } = insertDataset(db, { candles: c, source: 'test', now: 1 });
    const back = loadCandles(db, dataset);
    for (const col of COLS) {
      expect(back[col].length).toBe(1000);
      expect(Buffer.compare(Buffer.from(back[col].buffer, back[col].byteOffset, back[col].byteLength), Buffer.from(c[col].buffer))).toBe(0);
    }
    // each column owns its memory: writing one does not change another or the next load
    back.close[0] = -1;
    expect(back.open[0]).toBe(c.open[0]);
    expect(loadCandles(db, dataset).close[0]).toBe(c.close[0]);
  });

  it('stored columns are immutable and go with their dataset', () => {
    const db = store.open();
    const { dataset } = insertDataset(db, { candles: makeCandles(10), source: 'test', now: 1 });
    expect(() => statement(db, 'UPDATE candle_columns SET rows = 1').run()).toThrow(/immutable/);
    // a blob of 1 byte for 2 rows: refused by the CHECK (SQLite: "CHECK constraint failed", PostgreSQL: "violates check constraint")
    expect(() => statement(db, "INSERT INTO candle_columns (dataset_id, part, col, rows, data) VALUES (?, 5, 'time', 2, ?)").run(dataset.id, Buffer.from([0]))).toThrow(/CHECK constraint failed|violates check constraint/);
    statement(db, 'DELETE FROM datasets WHERE id = ?').run(dataset.id);
    expect(statement(db, 'SELECT COUNT(*) AS n FROM candle_columns').get()).toEqual({ n: 0 });
  });

  it('a damaged store is an error, not short or shifted columns', () => {
    const db = store.open();
    const { dataset } = insertDataset(db, { candles: makeCandles(PART * 2 + 5), source: 'test', now: 1, partRows: PART });
    statement(db, "DELETE FROM candle_columns WHERE dataset_id = ? AND part = 1 AND col = 'close'").run(dataset.id);
    expect(() => loadCandles(db, dataset)).toThrow(/damaged: close of part 1 is missing/);
    statement(db, 'DELETE FROM candle_columns WHERE dataset_id = ? AND part = 1').run(dataset.id);
    expect(() => loadCandles(db, dataset)).toThrow(/damaged: part 1 is missing/);
  });

  it('re-importing the same content is a no-op; different content is a new version', () => {
    const db = store.open();
    const a = insertDataset(db, { candles: makeCandles(100), source: 'a', now: 1 });
    const again = insertDataset(db, { candles: makeCandles(100), source: 'a2', now: 2 });
    expect(again.created).toBe(false);
    expect(again.dataset.id).toBe(a.dataset.id);
    const b = insertDataset(db, { candles: makeCandles(100, { shift: 1 }), source: 'b', now: 3 });
    expect(b.created).toBe(true);
    expect(b.dataset.version).toBe(2);
    expect(findDataset(db, 'test', '1h')?.version).toBe(2);
    expect(findDataset(db, 'TEST', '1h', 1)?.id).toBe(a.dataset.id);
    expect(listDatasets(db)).toHaveLength(2);
    expect(countDatasets(db)).toBe(2);
    expect(findDatasetByHash(db, b.dataset.content_hash)?.id).toBe(b.dataset.id);
    expect(findDatasetByHash(db, 'nope')).toBeUndefined();
    expect(getDataset(db, a.dataset.id)).toEqual(a.dataset);
    expect(a.dataset).toMatchObject({ symbol: 'TEST', timeframe: '1h', version: 1, source: 'a', is_synthetic: false, rows: 100, created_at: 1, meta: {} });
  });
  it('finds a symbol whatever the case of its ASCII letters, and only those (as SQLite NOCASE compares)', () => {
    const db = store.open();
    const { dataset } = insertDataset(db, { candles: makeCandles(10, { symbol: 'Été-x' }), source: 'test', now: 1 });
    expect(findDataset(db, 'Été-X', '1h')?.id).toBe(dataset.id);
    expect(findDataset(db, 'ÉTé-X', '1h', 1)?.id).toBe(dataset.id);
    expect(findDataset(db, 'été-x', '1h')).toBeUndefined();
  });

  it('a failed import leaves nothing behind', () => {
    const db = store.open();
    const c = makeCandles(10);
    const bad = { ...c, time: new Float64Array(0) };
    expect(() => insertDataset(db, { candles: bad, source: 'x', now: 1 })).toThrow(/empty/);
    expect(listDatasets(db)).toHaveLength(0);
  });

  it('counts the bars of a date range without loading the candles, exactly as slicing the loaded series does', () => {
    const db = store.open();
    const c = makeCandles(PART * 3 + 77);
    const { dataset } = insertDataset(db, { candles: c, source: 'test', now: 1, partRows: PART });
    const t = c.time;
    const n = t.length;
    const h = 3_600_000;
    const bounds = [null, t[0] - h, t[0], t[1], t[PART - 1], t[PART], t[PART] + 1, t[PART * 2 + 5] - 1, t[PART * 3], t[n - 1], t[n - 1] + 1, t[n - 1] + h];
    for (const from of bounds) {
      for (const to of bounds) {
        const expected = Math.max(0, (to === null ? n : lowerBound(t, to)) - (from === null ? 0 : lowerBound(t, from)));
        expect(countBarsInRange(db, dataset, from, to), `[${from}, ${to})`).toBe(expected);
      }
    }
  });

  it('loads into SharedArrayBuffers on request, one per column', () => {
    const db = store.open();
    const { dataset } = insertDataset(db, { candles: makeCandles(1000), source: 'test', now: 1 });
    const c = loadCandles(db, dataset, { shared: true });
    expect(c.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(c.close.buffer.byteLength).toBe(8000);
    expect(c.time.buffer).not.toBe(c.open.buffer);
    expect(contentHash(c)).toBe(dataset.content_hash);
  });
});
