/**
 * The canonical byte form of a candle series' content, for the storage layer to hash
 * (sha256 over the chunks in order gives the dataset's content hash). Pure: no hashing here.
 *
 * Order: time, open, high, low, close, volume (`CANDLE_COLUMNS`); each column as IEEE-754
 * float64 little-endian, exactly as held (no normalisation of -0 or NaN payloads; validated
 * candles contain no NaN). Symbol and timeframe are not part of the content. On
 * little-endian hosts the chunks are zero-copy views of the columns, so they must not be
 * mutated; on big-endian hosts they are byte-swapped copies.
 */
import { CANDLE_COLUMNS, type Candles } from './candles.js';

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function littleEndianBytes(a: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat64(i * 8, a[i], true);
  return out;
}

export function canonicalBytes(c: Candles): Uint8Array[] {
  return CANDLE_COLUMNS.map((col) => littleEndianBytes(c[col]));
}
