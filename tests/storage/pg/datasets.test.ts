import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CANDLE_COLUMNS, type Candles } from '../../../src/engine/data/candles.js';
import { contentHash } from '../../../src/storage/datasets.js';
import { getDatasetCandles, putDataset } from '../../../src/storage/pg/datasets.js';
import { postgresForFile } from '../../helpers/postgres.js';

const pg15 = postgresForFile();
let migrated: Promise<pg.Pool> | undefined;
/** The file's database, made by the first test that needs it. */
const db = (): Promise<pg.Pool> => (migrated ??= pg15.migrated().then((m) => m.pool));

/** Writes raw float64 bits (hi, lo words) into a[i], never through a JS number (which may canonicalise a NaN). */
function setBits(a: Float64Array, i: number, hi: number, lo: number): void {
  const v = new DataView(a.buffer, a.byteOffset + 8 * i, 8);
  v.setUint32(4, hi, true);
  v.setUint32(0, lo, true);
}

const raw = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

function candles(n: number, odd: readonly number[] = []): Candles & { volume: Float64Array } {
  const col = (k: number): Float64Array => Float64Array.from({ length: n }, (_, i) => (k === 0 ? 1_700_000_000_000 + i * 60_000 : 100 + k + Math.sin(i) / 7));
  const c = { symbol: 'BTCUSDT', timeframe: '1m', time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
  odd.forEach((x, i) => (c.volume[i] = x));
  return c;
}

describe('PostgreSQL datasets', () => {
  it('round-trips every column bit for bit (NaN payloads, -0, ±∞) under its content hash', async () => {
    const pool = await db();
    const c = candles(1000, [NaN, 0, 0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE]);
    setBits(c.volume, 1, 0x7ff80000, 0xdeadbeef); // a quiet NaN with a payload
    setBits(c.volume, 2, 0xfff00000, 1); // a signalling NaN, sign bit set
    expect(raw(c.volume.subarray(1, 3))).toBe('efbeadde0000f87f010000000000f0ff');
    const hash = await putDataset(pool, c, { now: Date.UTC(2024, 0, 2) });
    expect(hash).toBe(contentHash(c));
    const back = (await getDatasetCandles(pool, hash))!;
    expect(back.symbol).toBe('BTCUSDT');
    expect(back.timeframe).toBe('1m');
    for (const col of CANDLE_COLUMNS) expect(raw(back[col])).toBe(raw(c[col]));
    expect(raw(back.volume.subarray(1, 3))).toBe('efbeadde0000f87f010000000000f0ff');
    expect(Object.is(back.volume[3], -0)).toBe(true);
    expect(await getDatasetCandles(pool, 'f'.repeat(64))).toBeNull();
  });

  it('stores the same candles once, also when two processes put them at once; rows never change', async () => {
    const pool = await db();
    const c = candles(50);
    const [a, b] = await Promise.all([putDataset(pool, c, { now: 1 }), putDataset(pool, c, { now: 2 })]);
    expect(a).toBe(b);
    expect((await pool.query('SELECT COUNT(*) AS n FROM tradelab_datasets WHERE content_hash = $1', [a])).rows).toEqual([{ n: 1 }]);
    await expect(pool.query("UPDATE tradelab_datasets SET symbol = 'X'")).rejects.toThrow(/immutable/);
  });

  it('refuses an empty series or ragged columns', async () => {
    const pool = await db();
    await expect(putDataset(pool, candles(0), { now: 0 })).rejects.toThrow(/empty/);
    await expect(putDataset(pool, { ...candles(5), close: new Float64Array(4) }, { now: 0 })).rejects.toThrow(/close has 4 bars, time has 5/);
  });
});
