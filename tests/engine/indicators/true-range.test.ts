import { TR } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { trueRange } from '../../../src/engine/indicators/true-range.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract } from './contract.js';
import { candlesOf, column, expectClose, feed, num, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE, TULIP_HIGH, TULIP_LOW } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('trueRange — hand-worked and published values', () => {
  it('TR[0] = high − low; later bars include gaps from the previous close', () => {
    // bar 1 gaps up over close 10: max(13 − 12, |13 − 10|, |12 − 10|) = 3
    // bar 2 gaps down:             max(9 − 7, |9 − 12.5|, |7 − 12.5|) = 5.5
    // bar 3 inside:                max(9 − 8, |9 − 8.5|, |8 − 8.5|) = 1
    const out = trueRange(f64([11, 13, 9, 9]), f64([9, 12, 7, 8]), f64([10, 12.5, 8.5, 8.75]));
    expect(Array.from(out)).toEqual([2, 3, 5.5, 1]);
  });
  it('matches Tulip Indicators `tr`', () => {
    expectTulip(trueRange(f64(TULIP_HIGH), f64(TULIP_LOW), f64(TULIP_CLOSE)), TULIP.tr, 'tr');
  });
  it('rejects columns of different lengths', () => {
    expect(() => trueRange(f64([1, 2]), f64([1]), f64([1, 2]))).toThrow(RangeError);
    expect(() => trueRange(f64([1, 2]), f64([1]), f64([1, 2]))).toThrow(/low=1/);
  });
});

indicatorContract({ name: 'trueRange(high, low, close)', compute: (b) => trueRange(b.high, b.low, b.close), firstIndex: 0 });

for (const file of ORACLE_FILES) {
  describeShared(`trueRange vs trading-signals on ${file}`, file, () => {
    it("equals trading-signals' TR bit for bit", () => {
      const bars = readSharedBars(file);
      const theirs = column(feed(new TR(), candlesOf(bars)), num);
      expectClose(trueRange(bars.high, bars.low, bars.close), theirs, 'tr', { rtol: 0 });
    });
  });
}
