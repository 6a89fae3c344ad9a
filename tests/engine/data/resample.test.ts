import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Candles } from '../../../src/engine/data/candles.js';
import { parseCandlesCsv } from '../../../src/engine/data/csv.js';
import { DataError } from '../../../src/engine/data/errors.js';
import { resample } from '../../../src/engine/data/resample.js';
import { validateCandles } from '../../../src/engine/data/validate.js';
import { describeShared, sharedDataPath } from '../../helpers/shared-data.js';

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function make(timeframe: string, rows: number[][]): Candles {
  const col = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k]);
  return { symbol: 'X', timeframe, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}
const rowsOf = (c: Candles): number[][] => Array.from(c.time, (t, i) => [t, c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]]);

function load(file: string, timeframe: string): Candles {
  const r = parseCandlesCsv(readFileSync(sharedDataPath(file), 'utf8'), { symbol: file, timeframe });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.candles;
}

describe('resample (hand-worked 1m → 5m)', () => {
  // minutes 3..9 and 15..16 of 2024-01-01; minutes 10–14 are missing entirely
  const src = make('1m', [
    [T0 + 3 * M, 10, 11, 9, 10.5, 1],
    [T0 + 4 * M, 10.5, 12, 10, 11, 2],
    [T0 + 5 * M, 11, 11.2, 10.8, 11.1, 3],
    [T0 + 6 * M, 11.1, 11.3, 10.1, 10.2, 4],
    [T0 + 7 * M, 10.2, 10.9, 10.0, 10.8, 5],
    [T0 + 8 * M, 10.8, 13.0, 10.7, 12.5, 6],
    [T0 + 9 * M, 12.5, 12.6, 12.0, 12.1, 7],
    [T0 + 15 * M, 12.0, 12.2, 11.9, 12.0, 8],
    [T0 + 16 * M, 12.0, 12.4, 11.5, 11.6, 9],
  ]);

  it('first open, max high, min low, last close, summed volume; empty buckets dropped', () => {
    const out = resample(src, '5m');
    expect(out.timeframe).toBe('5m');
    expect(rowsOf(out)).toEqual([
      // 00:00 bucket holds minutes 3–4 only (partial buckets are kept)
      [T0, 10, 12, 9, 11, 3],
      // 00:05 bucket: minutes 5–9
      [T0 + 5 * M, 11, 13, 10.0, 12.1, 25],
      // 00:10 bucket has no bars: dropped, not filled
      [T0 + 15 * M, 12.0, 12.4, 11.5, 11.6, 17],
    ]);
  });

  it('same timeframe returns the input; 1m → 15m and 1m → 1h aggregate further', () => {
    expect(resample(src, '1m')).toBe(src);
    expect(rowsOf(resample(src, '15m'))).toEqual([
      [T0, 10, 13, 9, 12.1, 28],
      [T0 + 15 * M, 12.0, 12.4, 11.5, 11.6, 17],
    ]);
    expect(rowsOf(resample(src, '1h'))).toEqual([[T0, 10, 13, 9, 11.6, 45]]);
  });

  it('refuses finer and non-multiple targets with a DataError', () => {
    const h4 = make('4h', [[T0, 1, 2, 0.5, 1.5, 1]]);
    const expectError = (f: () => unknown, code: string, text: string): void => {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        expect((e as DataError).code).toBe(code);
        expect((e as DataError).message).toContain(text);
      }
    };
    expectError(() => resample(h4, '1h'), 'resample_finer', 'finer');
    expectError(() => resample(h4, '6h'), 'resample_not_multiple', 'not a whole multiple of 4h');
    expectError(() => resample(make('1w', [[T0, 1, 2, 0.5, 1.5, 1]]), '1M'), 'resample_not_multiple', '1M');
    expectError(() => resample(make('1M', [[T0, 1, 2, 0.5, 1.5, 1]]), '1w'), 'resample_finer', 'finer');
    expectError(() => resample(h4, '5x'), 'invalid_timeframe', '"5x"');
  });
});

describeShared('resample eurusd_1h.csv (weekend gaps)', 'eurusd_1h.csv', () => {
  let cached: Candles | undefined;
  const eurusd = (): Candles => (cached ??= load('eurusd_1h.csv', '1h'));

  it('1h → 1d: one bar per UTC date that has data, OHLC rules checked against a naive grouping', () => {
    const c = eurusd();
    const d = resample(c, '1d');
    expect(d.timeframe).toBe('1d');
    // oracle: group by the ISO date string
    const groups = new Map<string, number[]>();
    for (let i = 0; i < c.time.length; i++) {
      const key = new Date(c.time[i]).toISOString().slice(0, 10);
      const g = groups.get(key);
      if (!g) groups.set(key, [Date.parse(key), c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]]);
      else {
        g[2] = Math.max(g[2], c.high[i]);
        g[3] = Math.min(g[3], c.low[i]);
        g[4] = c.close[i];
        g[5] += c.volume[i];
      }
    }
    expect(d.time.length).toBe(251); // distinct dates in the file (awk | sort -u)
    expect(rowsOf(d)).toEqual([...groups.values()]);
    expect(validateCandles(d)).toEqual([]);
    // no empty buckets: no Saturday bars (the FX market is closed)
    expect(Array.from(d.time).some((t) => new Date(t).getUTCDay() === 6)).toBe(false);
  });

  it('hand-checked days (values summed from the file with awk)', () => {
    const d = resample(eurusd(), '1d');
    const at = (iso: string): number[] => rowsOf(d)[Array.from(d.time).indexOf(Date.parse(iso))];
    // 2017-04-19: 15 hourly bars, 09:00–23:00
    expect(at('2017-04-19T00:00:00Z')).toEqual([Date.parse('2017-04-19T00:00:00Z'), 1.0716, 1.07299, 1.07002, 1.07149, 16728]);
    // Friday 2017-04-21 ends at 20:00; Sunday 2017-04-23 has 3 bars (21:00–23:00)
    expect(at('2017-04-21T00:00:00Z')).toEqual([Date.parse('2017-04-21T00:00:00Z'), 1.07138, 1.0738, 1.06824, 1.07268, 29278]);
    expect(at('2017-04-23T00:00:00Z')).toEqual([Date.parse('2017-04-23T00:00:00Z'), 1.0893, 1.09063, 1.08648, 1.08734, 5456]);
    expect(Array.from(d.time)).not.toContain(Date.parse('2017-04-22T00:00:00Z'));
  });

  it('1h → 1w: Monday-aligned weeks (the Sunday evening bars belong to the week before)', () => {
    const w = resample(eurusd(), '1w');
    expect(Array.from(w.time).every((t) => new Date(t).getUTCDay() === 1 && t % 86_400_000 === 0)).toBe(true);
    // week of Monday 2017-04-17: bars from Wed 04-19 09:00 to Sun 04-23 23:00 (63 bars, awk)
    expect(rowsOf(w)[0]).toEqual([Date.parse('2017-04-17T00:00:00Z'), 1.0716, 1.09063, 1.06824, 1.08734, 76895]);
  });
});

describeShared('resample goog_1d.csv to calendar months', 'goog_1d.csv', () => {
  it('1d → 1M: buckets start on the 1st, first month checked by hand', () => {
    const m = resample(load('goog_1d.csv', '1d'), '1M');
    expect(m.time.length).toBe(104); // distinct YYYY-MM in the file
    expect(Array.from(m.time).every((t) => new Date(t).getUTCDate() === 1 && t % 86_400_000 === 0)).toBe(true);
    // August 2004: 9 trading days from 08-19 (awk)
    expect(rowsOf(m)[0]).toEqual([Date.UTC(2004, 7, 1), 100, 113.48, 95.96, 102.37, 66870300]);
  });
});
