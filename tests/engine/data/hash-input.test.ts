import { describe, expect, it } from 'vitest';
import type { Candles } from '../../../src/engine/data/candles.js';
import { canonicalBytes } from '../../../src/engine/data/hash-input.js';

const c = (extra: Partial<Candles> = {}): Candles => ({
  symbol: 'X',
  timeframe: '1d',
  time: Float64Array.of(0),
  open: Float64Array.of(1),
  high: Float64Array.of(2),
  low: Float64Array.of(0.5),
  close: Float64Array.of(-2),
  volume: Float64Array.of(1.5),
  ...extra,
});

describe('canonicalBytes', () => {
  it('gives the six columns as IEEE-754 little-endian bytes in the order time, open, high, low, close, volume', () => {
    const bytes = canonicalBytes(c()).map((b) => Array.from(b));
    // hand-encoded doubles: 0 = 00…00, 1 = 3FF0…, 2 = 4000…, 0.5 = 3FE0…, -2 = C000…, 1.5 = 3FF8…
    expect(bytes).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0xf0, 0x3f],
      [0, 0, 0, 0, 0, 0, 0, 0x40],
      [0, 0, 0, 0, 0, 0, 0xe0, 0x3f],
      [0, 0, 0, 0, 0, 0, 0, 0xc0],
      [0, 0, 0, 0, 0, 0, 0xf8, 0x3f],
    ]);
  });

  it('covers exactly the viewed bars of a slice, and ignores symbol and timeframe', () => {
    const big = Float64Array.of(9, 1, 2, 9);
    const view = c({ open: big.subarray(1, 2) });
    expect(Array.from(canonicalBytes(view)[1])).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    const renamed = canonicalBytes(c({ symbol: 'Y', timeframe: '1h' })).map((b) => Array.from(b));
    expect(renamed).toEqual(canonicalBytes(c()).map((b) => Array.from(b)));
  });
});
