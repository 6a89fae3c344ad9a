import { describe, expect, it } from 'vitest';
import { sliceByTime, type Candles } from '../../../src/engine/data/candles.js';
import { DataError } from '../../../src/engine/data/errors.js';
import { parseDateBound, sliceByDateRange } from '../../../src/engine/data/slice.js';

const D = 86_400_000;
const days = (n: number, start = Date.UTC(2024, 0, 1)): Candles => {
  const time = Float64Array.from({ length: n }, (_, i) => start + i * D);
  const ones = new Float64Array(n).fill(1);
  return { symbol: 'X', timeframe: '1d', time, open: ones, high: ones, low: ones, close: ones, volume: ones };
};

describe('parseDateBound', () => {
  it('reads dates, ISO timestamps and epoch seconds / milliseconds as the same instant', () => {
    const t = Date.UTC(2024, 0, 31);
    expect(parseDateBound('2024-01-31')).toBe(t);
    expect(parseDateBound('2024-01-31T00:00:00Z')).toBe(t);
    expect(parseDateBound('2024-01-31T02:00:00+02:00')).toBe(t);
    expect(parseDateBound('2024-01-31 00:00')).toBe(t); // no zone = UTC
    expect(parseDateBound(String(t / 1000))).toBe(t);
    expect(parseDateBound(String(t))).toBe(t);
    expect(parseDateBound(' 1706659200 ')).toBe(t);
  });

  it('throws a DataError naming the value and the accepted forms', () => {
    for (const bad of ['', 'last week', '2024-02-30', '31/01/2024', '2024-01-31T25:00', '1706659200000000', '0x10']) {
      try {
        parseDateBound(bad, 'from');
        expect.unreachable(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        expect((e as DataError).code).toBe('invalid_date');
        expect((e as DataError).field).toBe('from');
        expect((e as DataError).message).toContain(JSON.stringify(bad));
        expect((e as DataError).message).toContain('YYYY-MM-DD');
      }
    }
  });
});

describe('slicing by date range: from inclusive, to exclusive', () => {
  it('a month is [1st, 1st of next month)', () => {
    const c = days(60); // 2024-01-01 .. 2024-02-29
    const jan = sliceByDateRange(c, { from: '2024-01-01', to: '2024-02-01' });
    expect(jan.time.length).toBe(31);
    expect(jan.time[0]).toBe(Date.UTC(2024, 0, 1));
    expect(jan.time[30]).toBe(Date.UTC(2024, 0, 31));
    // adjacent ranges never share a bar
    const feb = sliceByDateRange(c, { from: '2024-02-01' });
    expect(jan.time.length + feb.time.length).toBe(60);
    expect(feb.time[0]).toBe(Date.UTC(2024, 1, 1));
    // to = a date means 00:00 of that day, which is excluded
    expect(sliceByDateRange(c, { to: '2024-01-03' }).time.length).toBe(2);
    // bounds between bars
    expect(sliceByTime(c, Date.UTC(2024, 0, 1, 12), Date.UTC(2024, 0, 3, 12)).time.length).toBe(2);
    // a range outside the data is empty, not an error
    expect(sliceByDateRange(c, { from: '2030-01-01' }).time.length).toBe(0);
  });

  it('rejects to <= from', () => {
    expect(() => sliceByDateRange(days(5), { from: '2024-01-03', to: '2024-01-03' })).toThrow(/must be after from/);
    expect(() => sliceByDateRange(days(5), { from: '2024-01-03', to: '2024-01-02' })).toThrow(DataError);
  });
});
