import { OBV } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { obv } from '../../../src/engine/indicators/obv.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract } from './contract.js';
import { candlesOf, column, expectClose, feed, num, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE, TULIP_VOLUME } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('obv — hand-worked and published values', () => {
  it('adds volume on up closes, subtracts on down closes, ignores unchanged closes', () => {
    expect(Array.from(obv(f64([10, 11, 11, 9, 12]), f64([5, 7, 3, 4, 2])))).toEqual([0, 7, 7, 3, 5]);
  });
  it('matches Tulip Indicators `obv` (OBV[0] = 0)', () => {
    expectTulip(obv(f64(TULIP_CLOSE), f64(TULIP_VOLUME)), TULIP.obv, 'obv');
  });
  it('rejects columns of different lengths', () => {
    expect(() => obv(f64([1, 2]), f64([1]))).toThrow(/volume=1/);
  });
});

indicatorContract({ name: 'obv(close, volume)', compute: (b) => obv(b.close, b.volume), firstIndex: 0 });

for (const file of ORACLE_FILES) {
  describeShared(`obv vs trading-signals on ${file}`, file, () => {
    it("equals trading-signals' OBV(2) from bar 1 on, bit for bit", () => {
      const bars = readSharedBars(file);
      // trading-signals' OBV(interval) starts accumulating at bar interval − 1; interval 2 gives
      // the running total from bar 1, i.e. exactly ours with OBV[0] = 0
      const theirs = column(feed(new OBV(2), candlesOf(bars)), num);
      theirs[0] = 0;
      expectClose(obv(bars.close, bars.volume), theirs, 'obv', { rtol: 0 });
    });
  });
}
