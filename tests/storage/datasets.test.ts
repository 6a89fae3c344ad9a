import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.js';
import { CHUNK_ROWS, contentHash, findDataset, insertDataset, listDatasets, loadCandles } from '../../src/storage/datasets.js';
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
});
