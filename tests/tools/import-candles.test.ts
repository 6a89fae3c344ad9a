/** import_candles: limits.max_inline_rows counts rows as the CSV parser splits lines, whatever the line ends. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDatasets } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ config: { limits: { max_inline_rows: 20 } } });
});
afterAll(async () => h.close());

const csv = (n: number, eol: string): string =>
  ['timestamp,open,high,low,close,volume', ...Array.from({ length: n }, (_, i) => `${Date.UTC(2024, 0, 1) + i * 3_600_000},1,2,0.5,1.5,10`)].join(eol) + eol;

describe('import_candles row limit', () => {
  for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
    it(`${name}: 21 rows are refused before parsing, 20 are stored`, async () => {
      const before = countDatasets(h.app.db);
      const over = await h.call('import_candles', { csv: csv(21, eol), symbol: `OVER-${name}`, timeframe: '1h' });
      expect(over.isError).toBe(true);
      expect(textOf(over)).toMatch(/^import_candles: csv has 21 rows, above the inline limit of 20 \(limits\.max_inline_rows\); expected: at most 20 rows; hint: import larger files with the CLI/);
      expect(countDatasets(h.app.db)).toBe(before);
      const ok = dataOf<{ dataset: { bars: number } }>(await h.call('import_candles', { csv: csv(20, eol), symbol: `OK-${name}`, timeframe: '1h' }));
      expect(ok.dataset.bars).toBe(20);
    });
  }
});
