import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.js';
import { lowerBound } from '../../src/engine/data/candles.js';
import { CHUNK_ROWS, contentHash, countBarsInRange, findDataset, insertDataset, listDatasets, loadCandles } from '../../src/storage/datasets.js';
import { makeCandles } from './helpers.js';

describe('datasets repository', () => {
  it('round-trips candles across several chunks bit for bit', () => {
    const db = openDb(':memory:');
    const c = makeCandles(CHUNK_ROWS * 2 + 123);
    const { dataset, created } = insertDataset(db, { candles: c, source: 'test', now: 1 });
    expect(created).toBe(true);
    expect(dataset.rows).toBe(c.time.length);
    expect(dataset.first_time).toBe(c.time[0]);
    const back = loadCandles(db, dataset);
    for (const col of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(Buffer.compare(Buffer.from(back[col].buffer), Buffer.from(c[col].buffer))).toBe(0);
    }
    expect(contentHash(back)).toBe(dataset.content_hash);
  });
  it('re-importing the same content is a no-op; different content is a new version', () => {
    const db = openDb(':memory:');
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
  });
  it('a failed import leaves nothing behind', () => {
    const db = openDb(':memory:');
    const c = makeCandles(10);
    const bad = { ...c, time: new Float64Array(0) };
    expect(() => insertDataset(db, { candles: bad, source: 'x', now: 1 })).toThrow(/empty/);
    expect(listDatasets(db)).toHaveLength(0);
  });

  it('counts the bars of a date range without loading the candles, exactly as slicing the loaded series does', () => {
    const db = openDb(':memory:');
    const c = makeCandles(CHUNK_ROWS * 3 + 77);
    const { dataset } = insertDataset(db, { candles: c, source: 'test', now: 1 });
    const t = c.time;
    const n = t.length;
    const h = 3_600_000;
    const bounds = [null, t[0] - h, t[0], t[1], t[CHUNK_ROWS - 1], t[CHUNK_ROWS], t[CHUNK_ROWS] + 1, t[CHUNK_ROWS * 2 + 5] - 1, t[n - 1], t[n - 1] + 1, t[n - 1] + h];
    for (const from of bounds) {
      for (const to of bounds) {
        const expected = Math.max(0, (to === null ? n : lowerBound(t, to)) - (from === null ? 0 : lowerBound(t, from)));
        expect(countBarsInRange(db, dataset, from, to), `[${from}, ${to})`).toBe(expected);
      }
    }
  });

  it('loads into SharedArrayBuffers on request, one per column', () => {
    const db = openDb(':memory:');
    const { dataset } = insertDataset(db, { candles: makeCandles(1000), source: 'test', now: 1 });
    const c = loadCandles(db, dataset, { shared: true });
    expect(c.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(c.close.buffer.byteLength).toBe(8000);
    expect(c.time.buffer).not.toBe(c.open.buffer);
    expect(contentHash(c)).toBe(dataset.content_hash);
  });
});
