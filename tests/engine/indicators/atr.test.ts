import fc from 'fast-check';
import { ATR } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { atr } from '../../../src/engine/indicators/atr.js';
import { rma } from '../../../src/engine/indicators/rma.js';
import { trueRange } from '../../../src/engine/indicators/true-range.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { barsArbitrary, indicatorContract, periodValidation } from './contract.js';
import { candlesOf, column, expectClose, feed, num, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE, TULIP_HIGH, TULIP_LOW } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('atr — hand-worked and published values', () => {
  it("is Wilder's smoothing of TR with TR[0] = high − low in the seed", () => {
    // TR = [2, 3, 5.5, 1] (see true-range.test.ts). period 2: seed (2 + 3)/2 = 2.5 at index 1;
    // (2.5 + 5.5)/2 = 4; (4 + 1)/2 = 2.5
    const out = atr(f64([11, 13, 9, 9]), f64([9, 12, 7, 8]), f64([10, 12.5, 8.5, 8.75]), 2);
    expect(Array.from(out)).toEqual([NaN, 2.5, 4, 2.5]);
  });
  it('is bit-identical to rma(trueRange(...)) (the fused loop changes nothing but speed)', () => {
    fc.assert(
      fc.property(barsArbitrary, fc.integer({ min: 1, max: 20 }), (b, period) => {
        const fused = atr(b.high, b.low, b.close, period);
        const composed = rma(trueRange(b.high, b.low, b.close), period);
        expect(Array.from(fused)).toEqual(Array.from(composed));
      }),
      { numRuns: 200 },
    );
  });
  it('matches Tulip Indicators `atr 5` (first value at index period − 1)', () => {
    expectTulip(atr(f64(TULIP_HIGH), f64(TULIP_LOW), f64(TULIP_CLOSE), 5), TULIP.atr5, 'atr(5)');
  });
});

periodValidation('atr', { period: (p) => atr(f64([2, 3]), f64([1, 2]), f64([1.5, 2.5]), p) });

indicatorContract({ name: 'atr(1)', compute: (b) => atr(b.high, b.low, b.close, 1), firstIndex: 0 });
indicatorContract({ name: 'atr(14)', compute: (b) => atr(b.high, b.low, b.close, 14), firstIndex: 13 });

for (const file of ORACLE_FILES) {
  describeShared(`atr vs trading-signals on ${file}`, file, () => {
    for (const period of [1, 5, 14, 30]) {
      it(`period ${period}: equals trading-signals' ATR (WSMA of TR) at every bar`, () => {
        const bars = readSharedBars(file);
        const theirs = column(feed(new ATR(period), candlesOf(bars)), num);
        expectClose(atr(bars.high, bars.low, bars.close, period), theirs, `atr(${period})`, { rtol: 1e-12 });
      });
    }
  });
}
