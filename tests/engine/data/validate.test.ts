import { describe, expect, it } from 'vitest';
import type { Candles } from '../../../src/engine/data/candles.js';
import { DataError } from '../../../src/engine/data/errors.js';
import { assertValidCandles, validateCandles } from '../../../src/engine/data/validate.js';

const D = 86_400_000;
function candles(rows: number[][], extra: Partial<Candles> = {}): Candles {
  const col = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k]);
  return { symbol: 'X', timeframe: '1d', time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5), ...extra };
}
const GOOD = [
  [0, 10, 11, 9, 10.5, 100],
  [D, 10.5, 12, 10, 11, 200],
  [2 * D, 11, 11.5, 10.2, 10.4, 150],
];

describe('validateCandles', () => {
  it('accepts consistent candles', () => {
    expect(validateCandles(candles(GOOD))).toEqual([]);
    expect(() => assertValidCandles(candles(GOOD))).not.toThrow();
  });

  it('reports each rule with the bar index and column', () => {
    const rows = GOOD.map((r) => [...r]);
    rows[1][2] = 10.8; // high below close 11
    expect(validateCandles(candles(rows))).toEqual([{ index: 1, column: 'high', value: '10.8', message: 'bar 1: high 10.8 is below max(open, close) = 11' }]);
    const low = GOOD.map((r) => [...r]);
    low[2][3] = 10.5; // low above close 10.4
    expect(validateCandles(candles(low))[0]).toMatchObject({ index: 2, column: 'low' });
    const nan = GOOD.map((r) => [...r]);
    nan[0][4] = NaN;
    nan[2][5] = Infinity;
    expect(validateCandles(candles(nan)).map((e) => [e.index, e.column])).toEqual([[0, 'close'], [2, 'volume']]);
    const neg = GOOD.map((r) => [...r]);
    neg[1][5] = -5;
    expect(validateCandles(candles(neg))[0].message).toContain('volume -5 is negative');
  });

  it('reports duplicate and descending times naming both bars', () => {
    const dup = GOOD.map((r) => [...r]);
    dup[2][0] = D;
    expect(validateCandles(candles(dup))).toEqual([expect.objectContaining({ index: 2, column: 'time', message: 'bar 2: duplicate time 1970-01-02T00:00:00.000Z (same as bar 1)' })]);
    const desc = GOOD.map((r) => [...r]);
    desc[2][0] = -D;
    expect(validateCandles(candles(desc))[0].message).toContain("before bar 1's");
  });

  it('checks shape, symbol and timeframe, and caps the list', () => {
    expect(validateCandles(candles(GOOD, { close: new Float64Array(2) }))[0]).toMatchObject({ index: -1, column: 'close', message: 'close has 2 values but time has 3' });
    expect(validateCandles(candles(GOOD, { symbol: '' }))[0].column).toBe('symbol');
    expect(validateCandles(candles(GOOD, { timeframe: '7m' }))[0]).toMatchObject({ column: 'timeframe', message: expect.stringContaining('invalid timeframe') });
    expect(validateCandles(candles([]))).toEqual([{ index: -1, message: 'no bars' }]);
    const many = Array.from({ length: 30 }, (_, i) => [i * D, 1, 0.5, 0.4, 1, 1]);
    const errs = validateCandles(candles(many), 10);
    expect(errs).toHaveLength(11);
    expect(errs[10]).toEqual({ index: -1, message: '…and 20 more error(s) not listed (the first at bar 10)' });
    expect(() => assertValidCandles(candles(many))).toThrow(DataError);
  });
});
