import { describe, expect, it } from 'vitest';
import { parseCandlesCsv } from '../../../src/engine/data/csv.js';
import { countCsvLines } from '../../../src/engine/data/csv-fields.js';

function rows(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${Date.UTC(2024, 0, 1) + i * 3_600_000},1,2,0.5,1.5,10`);
}

describe('countCsvLines', () => {
  const header = 'timestamp,open,high,low,close,volume';
  const cases: [string, string][] = [
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
    ['lone \\r', '\r'],
  ];
  for (const [name, eol] of cases) {
    it(`counts ${name} lines as the parser reads them (header + rows, blank lines skipped, with or without a final line end)`, () => {
      const r = rows(7);
      for (const text of [[header, ...r].join(eol), [header, ...r].join(eol) + eol, [header, '', ...r.slice(0, 3), '   ', ...r.slice(3), ''].join(eol), '\ufeff' + [header, ...r].join(eol)]) {
        const parsed = parseCandlesCsv(text, { symbol: 'X', timeframe: '1h' });
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.rows).toBe(7);
        expect(countCsvLines(text)).toBe(8);
      }
    });
  }

  it('counts nothing in blank text and one line without a line end', () => {
    expect(countCsvLines('')).toBe(0);
    expect(countCsvLines('\n\r\n \r\t\n')).toBe(0);
    expect(countCsvLines(header)).toBe(1);
  });

  it('counts a lone \\r inside a \\n file as a line end too (never fewer than the parser reads)', () => {
    expect(countCsvLines(`${header}\n${rows(2).join('\r')}\n`)).toBe(3);
  });
});
