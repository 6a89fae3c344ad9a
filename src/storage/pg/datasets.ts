/**
 * Datasets in PostgreSQL (migration 002), for workers on other machines: stored once by the
 * process that has them, read by content hash by a worker that runs a backtest on them.
 * The columns are the raw Float64 bytes of the candles (as SQLite stores them), so every
 * value, NaN payloads and the sign of zero included, comes back bit for bit.
 */
import type pg from 'pg';
import { CANDLE_COLUMNS, type CandleColumn, type Candles } from '../../engine/data/candles.js';
import { contentHash } from '../datasets.js';
import { msToDatetime } from '../optuna-model.js';

export interface DatasetMeta {
  /** Epoch ms of the upload (created_at). */
  readonly now: number;
}

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * Stores the candles under their content hash and returns it. Storing the same candles again
 * (here or from another process at once) keeps the first row and returns the same hash.
 */
export async function putDataset(pool: pg.Pool, candles: Candles, meta: DatasetMeta): Promise<string> {
  const n = candles.time.length;
  if (n === 0) throw new Error('cannot store an empty candle series');
  for (const col of CANDLE_COLUMNS) {
    if (candles[col].length !== n) throw new Error(`candle column ${col} has ${candles[col].length} bars, time has ${n}`);
  }
  const hash = contentHash(candles);
  await pool.query(
    `INSERT INTO tradelab_datasets (content_hash, symbol, timeframe, bars, time, open, high, low, close, volume, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::timestamp)
     ON CONFLICT (content_hash) DO NOTHING`,
    [hash, candles.symbol, candles.timeframe, n, ...CANDLE_COLUMNS.map((c) => bytes(candles[c])), msToDatetime(meta.now)],
  );
  return hash;
}

/** A stored column as a Float64Array of its own (the driver's Buffer need not be 8-byte aligned). */
function column(hash: string, col: CandleColumn, b: Buffer, bars: number): Float64Array {
  if (b.length !== bars * 8) throw new Error(`dataset ${hash} is damaged: ${col} is ${b.length} bytes, not ${bars * 8}`);
  const out = new Float64Array(bars);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** The candles stored under `hash`, or null when there are none. */
export async function getDatasetCandles(pool: pg.Pool, hash: string): Promise<Candles | null> {
  const { rows } = await pool.query<Record<CandleColumn, Buffer> & { symbol: string; timeframe: string; bars: number }>(
    'SELECT symbol, timeframe, bars, time, open, high, low, close, volume FROM tradelab_datasets WHERE content_hash = $1',
    [hash],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  const col = (c: CandleColumn): Float64Array => column(hash, c, r[c], r.bars);
  return { symbol: r.symbol, timeframe: r.timeframe, time: col('time'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') };
}
