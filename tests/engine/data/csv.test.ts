import { describe, expect, it } from 'vitest';
import { parseCandlesCsv, type CsvError, type ParseResult } from '../../../src/engine/data/csv.js';

const opts = { symbol: 'TEST', timeframe: '1d' } as const;
const HEADER = 'timestamp,open,high,low,close,volume';
const GOOD = [HEADER, '2024-01-01T00:00:00Z,10,11,9,10.5,100', '2024-01-02T00:00:00Z,10.5,12,10,11,200', '2024-01-03T00:00:00Z,11,11.5,10.2,10.4,150'];
const T = [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)];

function ok(r: ParseResult): Extract<ParseResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.errors)}`);
  return r;
}
function errorsOf(r: ParseResult): CsvError[] {
  expect(r.ok).toBe(false);
  expect('candles' in r).toBe(false); // all or nothing
  return r.ok ? [] : r.errors;
}
/** A file with one bad data row replacing row `k` (1-based data row; file line k + 1). */
function withRow(k: number, row: string): string {
  const lines = [...GOOD];
  lines[k] = row;
  return lines.join('\n');
}

describe('parseCandlesCsv: a clean file', () => {
  it('reads columns, times and counts', () => {
    const r = ok(parseCandlesCsv(GOOD.join('\n'), opts));
    expect(r.rows).toBe(3);
    expect(Array.from(r.candles.time)).toEqual(T);
    expect(Array.from(r.candles.open)).toEqual([10, 10.5, 11]);
    expect(Array.from(r.candles.high)).toEqual([11, 12, 11.5]);
    expect(Array.from(r.candles.low)).toEqual([9, 10, 10.2]);
    expect(Array.from(r.candles.close)).toEqual([10.5, 11, 10.4]);
    expect(Array.from(r.candles.volume)).toEqual([100, 200, 150]);
    expect(r.candles.symbol).toBe('TEST');
    expect(r.candles.timeframe).toBe('1d');
    expect(r.warnings).toEqual([]);
  });

  it('accepts a BOM, CRLF, semicolons, tabs, quotes and blank trailing lines', () => {
    const variants = [
      '\uFEFF' + GOOD.join('\r\n') + '\r\n\r\n',
      GOOD.map((l) => l.replaceAll(',', ';')).join('\n'),
      GOOD.map((l) => l.replaceAll(',', '\t')).join('\n') + '\n\n\n',
      GOOD.map((l) => l.split(',').map((f) => `"${f}"`).join(',')).join('\n'),
      GOOD.join('\r'), // old Mac line ends
    ];
    for (const text of variants) {
      const r = ok(parseCandlesCsv(text, opts));
      expect(Array.from(r.candles.time)).toEqual(T);
      expect(Array.from(r.candles.close)).toEqual([10.5, 11, 10.4]);
      expect(r.warnings).toEqual([]);
    }
  });

  it('accepts header aliases in any case and order, and ignores extra columns with a warning', () => {
    const text = ['Close;VOL;Date;Low;o;H;Adj Close', '10.5;100;2024-01-01;9;10;11;10.4', '11;200;2024-01-02;10;10.5;12;10.9'].join('\n');
    const r = ok(parseCandlesCsv(text, opts));
    expect(Array.from(r.candles.open)).toEqual([10, 10.5]);
    expect(Array.from(r.candles.high)).toEqual([11, 12]);
    expect(Array.from(r.candles.close)).toEqual([10.5, 11]); // not the adjusted close
    expect(Array.from(r.candles.volume)).toEqual([100, 200]);
    expect(r.warnings.some((w) => w.includes('"Adj Close"'))).toBe(true);
    for (const h of ['time', 'DateTime', 'open_time', 'Open Time', 'TS', 'Timestamp']) {
      const t = ok(parseCandlesCsv([`${h},O,H,L,C,V`, '2024-01-01T00:00:00Z,1,2,0.5,1.5,3'].join('\n'), opts));
      expect(t.candles.time[0]).toBe(T[0]);
    }
  });

  it('fills a missing volume column with 0 and says so', () => {
    const r = ok(parseCandlesCsv(['date,open,high,low,close', '2024-01-01,1,2,0.5,1.5', '2024-01-02,1.5,2,1,1.8'].join('\n'), opts));
    expect(Array.from(r.candles.volume)).toEqual([0, 0]);
    expect(r.warnings.some((w) => /no volume column/.test(w))).toBe(true);
  });

  it('gives identical times for ISO, epoch seconds and epoch milliseconds', () => {
    const iso = GOOD.join('\n');
    const rowsWith = (f: (t: number) => string): string =>
      [HEADER, ...GOOD.slice(1).map((l, i) => [f(T[i]), ...l.split(',').slice(1)].join(','))].join('\n');
    const secs = ok(parseCandlesCsv(rowsWith((t) => String(t / 1000)), opts));
    const ms = ok(parseCandlesCsv(rowsWith((t) => String(t)), opts));
    const offset = ok(parseCandlesCsv(rowsWith((t) => new Date(t + 2 * 3_600_000).toISOString().replace('Z', '+02:00')), opts));
    const noZone = ok(parseCandlesCsv(rowsWith((t) => new Date(t).toISOString().slice(0, 19).replace('T', ' ')), opts));
    for (const r of [ok(parseCandlesCsv(iso, opts)), secs, ms, offset, noZone]) expect(Array.from(r.candles.time)).toEqual(T);
    expect(secs.warnings.some((w) => w.includes('epoch seconds'))).toBe(true);
    expect(ms.warnings.some((w) => w.includes('epoch milliseconds'))).toBe(true);
    expect(noZone.warnings.some((w) => /no time zone.*UTC.*line 2/.test(w))).toBe(true);
  });

  it('warns when the spacing does not match the given timeframe', () => {
    const r = ok(parseCandlesCsv(GOOD.join('\n'), { symbol: 'X', timeframe: '1h' }));
    expect(r.warnings.some((w) => w.includes('1d apart') && w.includes('1h'))).toBe(true);
  });

  it('warns about blank lines between rows but not trailing ones', () => {
    const r = ok(parseCandlesCsv([GOOD[0], GOOD[1], '', '  ', GOOD[2], GOOD[3], '', ''].join('\n'), opts));
    expect(r.rows).toBe(3);
    expect(r.warnings).toEqual(['skipped 2 blank line(s) between rows (first at line 3)']);
  });
});

describe('parseCandlesCsv: errors carry file line numbers and nothing is returned', () => {
  const single = (text: string, o: { symbol: string; timeframe: string } = opts): CsvError => {
    const errs = errorsOf(parseCandlesCsv(text, o));
    expect(errs).toHaveLength(1);
    return errs[0];
  };

  it('empty file and header only', () => {
    expect(single('')).toMatchObject({ line: 1, message: expect.stringContaining('empty') });
    expect(single('\uFEFF\n\n  \n')).toMatchObject({ line: 1, message: expect.stringContaining('empty') });
    expect(single(HEADER + '\n')).toMatchObject({ line: 2, message: expect.stringContaining('no data rows') });
  });

  it('unknown header: says what was found and what is required', () => {
    const e = single('when,first,top,bottom,last\n2024-01-01,1,2,0.5,1.5');
    expect(e.line).toBe(1);
    expect(e.message).toContain('missing column(s)');
    expect(e.message).toContain('"when"');
    expect(e.message).toMatch(/Required: timestamp\|time\|date/);
    const adj = single('date,open,high,low,adj close,volume\n2024-01-01,1,2,0.5,1.5,1');
    expect(adj.message).toContain('adjusted close');
    expect(single('date,open,high,low,close,c\n2024-01-01,1,2,0.5,1.5,1').message).toContain('both name the close column');
    expect(single('2024-01-01,1,2,0.5,1.5,1\n2024-01-02,1,2,0.5,1.5,1').message).toContain('looks like data');
    expect(single('timestamp open high low close\n2024-01-01 1 2 0.5 1.5').message).toContain('single column');
  });

  it('non-numeric, NaN, Infinity and empty values, naming column and value', () => {
    const e = single(withRow(2, '2024-01-02T00:00:00Z,10.5,abc,10,11,200'));
    expect(e).toMatchObject({ line: 3, column: 'high', value: 'abc' });
    expect(e.message).toContain('not a number');
    expect(single(withRow(1, '2024-01-01T00:00:00Z,NaN,11,9,10.5,100'))).toMatchObject({ line: 2, column: 'open', message: expect.stringContaining('NaN') });
    expect(single(withRow(3, '2024-01-03T00:00:00Z,11,Infinity,10.2,10.4,150'))).toMatchObject({ line: 4, column: 'high', message: expect.stringContaining('not finite') });
    expect(single(withRow(3, '2024-01-03T00:00:00Z,11,11.5,10.2,10.4,'))).toMatchObject({ line: 4, column: 'volume', message: expect.stringContaining('empty') });
    expect(single(withRow(1, '2024-01-01T00:00:00Z,0x10,11,9,10.5,100'))).toMatchObject({ line: 2, column: 'open' });
    expect(single(withRow(1, '2024-01-01T00:00:00Z,1e999,11,9,10.5,100'))).toMatchObject({ line: 2, column: 'open' });
    const semi = single(['date;open;high;low;close', '2024-01-01;10,5;11;9;10'].join('\n'));
    expect(semi.message).toContain('decimal comma');
  });

  it('bad timestamps, mixed formats and mixed epoch units', () => {
    expect(single(withRow(2, '2024-02-30T00:00:00Z,10.5,12,10,11,200'))).toMatchObject({ line: 3, column: 'timestamp', message: expect.stringContaining('ISO-8601') });
    expect(single(withRow(2, '1704153600,10.5,12,10,11,200'))).toMatchObject({ line: 3, message: expect.stringContaining('line 2 used ISO-8601') });
    const epoch = [HEADER, '1704067200,10,11,9,10.5,100', '1704153600000,10.5,12,10,11,200'].join('\n');
    expect(single(epoch)).toMatchObject({ line: 3, message: expect.stringContaining('line 2 is in seconds') });
    const micro = [HEADER, '1704067200000000,10,11,9,10.5,100'].join('\n');
    expect(single(micro).message).toContain('microseconds');
    expect(single([HEADER, 'yesterday,10,11,9,10.5,100'].join('\n'))).toMatchObject({ line: 2, message: expect.stringContaining('not a timestamp') });
    // a garbage first row does not fix the format for the rest
    const first = errorsOf(parseCandlesCsv([HEADER, 'yesterday,10,11,9,10.5,100', GOOD[2], '1704240000,11,11.5,10.2,10.4,150'].join('\n'), opts));
    expect(first.map((e) => e.line)).toEqual([2, 4]);
    expect(first[1].message).toContain('line 3 used ISO-8601');
  });

  it('OHLC consistency and negative values', () => {
    expect(single(withRow(2, '2024-01-02T00:00:00Z,10.5,10.8,10,11,200'))).toMatchObject({ line: 3, column: 'high', message: 'high 10.8 is below max(open, close) = 11' });
    expect(single(withRow(2, '2024-01-02T00:00:00Z,10.5,12,10.6,11,200'))).toMatchObject({ line: 3, column: 'low', message: 'low 10.6 is above min(open, close) = 10.5' });
    const crossed = errorsOf(parseCandlesCsv(withRow(1, '2024-01-01T00:00:00Z,10,9,11,10,100'), opts));
    expect(crossed.map((e) => e.message)).toEqual(['high 9 is below low 11', 'high 9 is below max(open, close) = 10', 'low 11 is above min(open, close) = 10']);
    expect(crossed.every((e) => e.line === 2)).toBe(true);
    expect(single(withRow(1, '2024-01-01T00:00:00Z,10,11,9,10.5,-1'))).toMatchObject({ line: 2, column: 'volume', message: expect.stringContaining('negative') });
    const neg = errorsOf(parseCandlesCsv(withRow(1, '2024-01-01T00:00:00Z,-1,1,-2,0.5,1'), opts));
    expect(neg.map((e) => e.column)).toEqual(['open', 'low']);
  });

  it('duplicate and descending timestamps name both lines', () => {
    const dup = single(withRow(3, '2024-01-02T00:00:00Z,11,11.5,10.2,10.4,150'));
    expect(dup).toMatchObject({ line: 4, column: 'timestamp' });
    expect(dup.message).toBe('duplicate timestamp 2024-01-02T00:00:00.000Z (also on line 3)');
    const back = single(withRow(3, '2023-12-31T00:00:00Z,11,11.5,10.2,10.4,150'));
    expect(back.line).toBe(4);
    expect(back.message).toContain("earlier than line 3's 2024-01-02T00:00:00.000Z");
    const newestFirst = errorsOf(parseCandlesCsv([HEADER, GOOD[3], GOOD[2], GOOD[1]].join('\n'), opts));
    expect(newestFirst.map((e) => e.line)).toEqual([3, 4]);
    expect(newestFirst[0].message).toContain('newest-first');
  });

  it('field-count problems and broken quotes', () => {
    expect(single(withRow(2, '2024-01-02T00:00:00Z,10.5,12,10'))).toMatchObject({ line: 3, message: expect.stringContaining('expected 6 fields') });
    expect(single(withRow(2, '2024-01-02T00:00:00Z,10.5,12,10,11,200,7'))).toMatchObject({ line: 3, message: expect.stringContaining('found 7') });
    // a trailing delimiter is tolerated
    expect(ok(parseCandlesCsv(withRow(2, '2024-01-02T00:00:00Z,10.5,12,10,11,200,'), opts)).rows).toBe(3);
    expect(single(withRow(2, '"2024-01-02T00:00:00Z,10.5,12,10,11,200'))).toMatchObject({ line: 3, message: expect.stringContaining('quote') });
  });

  it('line numbers count blank lines and the header', () => {
    const text = ['', HEADER, GOOD[1], '', GOOD[2].replace('12', 'x'), GOOD[3]].join('\n');
    expect(single(text)).toMatchObject({ line: 5, column: 'high', value: 'x' });
  });

  it('collects 20 errors, then counts the rest', () => {
    const rows = [HEADER];
    for (let i = 0; i < 50; i++) rows.push(`${new Date(T[0] + i * 86_400_000).toISOString()},1,${i % 2 === 0 ? 'bad' : 2},0.5,1.5,1`);
    const r = parseCandlesCsv(rows.join('\n'), opts);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.omitted).toBe(5);
    expect(r.errors).toHaveLength(21);
    expect(r.errors.slice(0, 20).map((e) => e.line)).toEqual(Array.from({ length: 20 }, (_, i) => 2 + 2 * i));
    expect(r.errors[20]).toMatchObject({ line: 42, message: expect.stringContaining('5 more error(s)') });
  });

  it('rejects bad options on line 0', () => {
    expect(single(GOOD.join('\n'), { symbol: 'X', timeframe: '7m' })).toMatchObject({ line: 0, column: 'timeframe', message: expect.stringContaining('expected one of') });
    expect(single(GOOD.join('\n'), { symbol: ' ', timeframe: '1d' })).toMatchObject({ line: 0, column: 'symbol' });
  });
});

describe('parseCandlesCsv: scale', () => {
  it('handles minimal rows and a flood of blank lines', () => {
    const tiny = ['ts,o,h,l,c', ...Array.from({ length: 40 }, (_, i) => `${i + 1},1,1,1,1`)].join('\n');
    const r = ok(parseCandlesCsv(tiny, { symbol: 'X', timeframe: '1m' }));
    expect(r.rows).toBe(40);
    expect(r.candles.time[39]).toBe(40_000);
    const flood = ok(parseCandlesCsv(`${GOOD.join('\n')}${'\n'.repeat(1_000_000)}`, opts));
    expect(flood.rows).toBe(3);
    expect(flood.candles.time.buffer.byteLength).toBeLessThan(1_000_000);
  });

  it('parses 200,000 rows exactly', () => {
    const n = 200_000;
    const parts = [HEADER];
    const t0 = Date.UTC(2020, 0, 1);
    for (let i = 0; i < n; i++) {
      const o = 100 + (i % 97) * 0.01;
      parts.push(`${new Date(t0 + i * 60_000).toISOString()},${o.toFixed(2)},${(o + 0.5).toFixed(2)},${(o - 0.5).toFixed(2)},${(o + 0.1).toFixed(2)},${i % 1000}`);
    }
    const text = parts.join('\n');
    const r = ok(parseCandlesCsv(text, { symbol: 'X', timeframe: '1m' }));
    expect(r.rows).toBe(n);
    expect(r.candles.time[n - 1]).toBe(t0 + (n - 1) * 60_000);
    expect(r.candles.high[12345]).toBe(Number(parts[12346].split(',')[2]));
    // speed: npm run bench:components
  });
});
