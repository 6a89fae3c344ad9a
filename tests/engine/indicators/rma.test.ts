import { RMA, WSMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { rma } from '../../../src/engine/indicators/rma.js';
import { rsi } from '../../../src/engine/indicators/rsi.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { column, convergedAfter, expectClose, feed, num, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('rma — hand-worked and published values', () => {
  it('seeds with the simple mean, then avg = (avg·(p−1) + x)/p', () => {
    // period 2: seed mean(2, 4) = 3; (3·1 + 7)/2 = 5; (5 + 1)/2 = 3
    expect(Array.from(rma(f64([2, 4, 7, 1]), 2))).toEqual([NaN, 3, 5, 3]);
    // period 3: seed mean(3, 6, 9) = 6; (6·2 + 0)/3 = 4; (4·2 + 10)/3 = 6
    expect(Array.from(rma(f64([3, 6, 9, 0, 10]), 3))).toEqual([NaN, NaN, 6, 4, 6]);
  });
  it('matches Tulip Indicators `wilders 5`', () => {
    expectTulip(rma(f64(TULIP_CLOSE), 5), TULIP.wilders5, 'rma(5)');
  });
  it('skips leading NaNs', () => {
    expect(Array.from(rma(f64([NaN, 2, 4, 7]), 2))).toEqual([NaN, NaN, 3, 5]);
  });
});

periodValidation('rma', { period: (p) => rma(f64([1, 2, 3]), p) });

indicatorContract({ name: 'rma(close, 1)', compute: (b) => rma(b.close, 1), firstIndex: 0 });
indicatorContract({ name: 'rma(close, 7)', compute: (b) => rma(b.close, 7), firstIndex: 6 });
indicatorContract({ name: 'rma(rsi(close, 3), 4)', compute: (b) => rma(rsi(b.close, 3), 4), firstIndex: 6 });

for (const file of ORACLE_FILES) {
  describeShared(`rma vs trading-signals on ${file}`, file, () => {
    for (const period of [2, 5, 14, 30]) {
      it(`period ${period}: equals trading-signals' WSMA (Wilder's smoothing, SMA seed) at every bar`, () => {
        const { close } = readSharedBars(file);
        expectClose(rma(close, period), column(feed(new WSMA(period), close), num), `rma(${period})`, { rtol: 1e-12 });
      });
      it(`period ${period}: equals trading-signals' RMA (first-value seed) once the seed has decayed`, () => {
        const { close } = readSharedBars(file);
        const native = column(feed(new RMA(period), close), num);
        const from = convergedAfter(period - 1, 1 - 1 / period);
        expectClose(rma(close, period), native, `rma(${period}) after ${from}`, { from, rtol: 1e-9 });
      });
    }
  });
}
