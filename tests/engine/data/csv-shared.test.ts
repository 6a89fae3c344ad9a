/**
 * The eight real fixtures in ../shared/data parse cleanly, with the row counts and first /
 * last timestamps listed in its README.md, and the same values as the independent
 * test-only reader (Date.parse + Number).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseCandlesCsv } from '../../../src/engine/data/csv.js';
import { inferTimeframe } from '../../../src/engine/data/timeframe.js';
import { validateCandles } from '../../../src/engine/data/validate.js';
import { describeShared, readSharedBars, sharedDataPath, SHARED_FILES } from '../../helpers/shared-data.js';

/** From /work/shared/data/README.md (rows, first, last) plus the timeframe column. */
const README: Record<(typeof SHARED_FILES)[number], { tf: string; rows: number; first: string; last: string }> = {
  'goog_1d.csv': { tf: '1d', rows: 2148, first: '2004-08-19T00:00:00Z', last: '2013-03-01T00:00:00Z' },
  'eurusd_1h.csv': { tf: '1h', rows: 5000, first: '2017-04-19T09:00:00Z', last: '2018-02-07T15:00:00Z' },
  'btcusd_1mo.csv': { tf: '1M', rows: 156, first: '2012-01-31T00:00:00Z', last: '2024-12-31T00:00:00Z' },
  'eth_btc_5m.csv': { tf: '5m', rows: 5760, first: '2018-01-10T04:55:00Z', last: '2018-01-30T04:50:00Z' },
  'unittest_btc_1m.csv': { tf: '1m', rows: 13681, first: '2017-11-04T23:02:00Z', last: '2017-11-14T22:59:00Z' },
  'unittest_btc_30m.csv': { tf: '30m', rows: 1920, first: '2017-12-03T13:00:00Z', last: '2018-01-12T12:30:00Z' },
  'xrp_eth_1m.csv': { tf: '1m', rows: 3560, first: '2019-10-11T00:00:00Z', last: '2019-10-13T11:19:00Z' },
  'xrp_usdt_usdt_1h.csv': { tf: '1h', rows: 100, first: '2021-11-17T01:00:00Z', last: '2021-11-21T04:00:00Z' },
};

for (const file of SHARED_FILES) {
  describeShared(`shared fixture ${file}`, file, () => {
    it('parses cleanly with the README row count and first/last timestamps', () => {
      const want = README[file];
      const r = parseCandlesCsv(readFileSync(sharedDataPath(file), 'utf8'), { symbol: file.replace('.csv', ''), timeframe: want.tf });
      if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
      expect(r.rows).toBe(want.rows);
      const c = r.candles;
      expect(c.time.length).toBe(want.rows);
      expect(c.time[0]).toBe(Date.parse(want.first));
      expect(c.time[want.rows - 1]).toBe(Date.parse(want.last));
      // every file has Z timestamps, a volume column and the given spacing: no warnings at all
      expect(r.warnings).toEqual([]);
      expect(inferTimeframe(c.time)).toBe(want.tf);
      expect(validateCandles(c)).toEqual([]);
      // values identical to the independent reader
      const ref = readSharedBars(file);
      for (const col of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect(c[col]).toEqual(ref[col]);
    });
  });
}
