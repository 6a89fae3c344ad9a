import { ROC } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { roc } from '../../../src/engine/indicators/roc.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { column, expectClose, feed, num, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('roc — hand-worked and published values', () => {
  it('is the fractional change over period bars', () => {
    // (110 − 100)/100 = 0.1; (99 − 110)/110 = −0.1; period 2: (99 − 100)/100 = −0.01
    expect(Array.from(roc(f64([100, 110, 99]), 1))).toEqual([NaN, 0.1, -0.1]);
    expect(Array.from(roc(f64([100, 110, 99]), 2))).toEqual([NaN, NaN, -0.01]);
  });
  it('matches Tulip Indicators `roc 5` (a fraction, first value at index period)', () => {
    expectTulip(roc(f64(TULIP_CLOSE), 5), TULIP.roc5, 'roc(5)');
  });
  it('is NaN (not Infinity) when the base value is 0', () => {
    expect(Array.from(roc(f64([0, 5, 10]), 1))).toEqual([NaN, NaN, 1]);
  });
});

periodValidation('roc', { period: (p) => roc(f64([1, 2, 3]), p) });

indicatorContract({ name: 'roc(close, 1)', compute: (b) => roc(b.close, 1), firstIndex: 1 });
indicatorContract({ name: 'roc(close, 10)', compute: (b) => roc(b.close, 10), firstIndex: 10 });

for (const file of ORACLE_FILES) {
  describeShared(`roc vs trading-signals on ${file}`, file, () => {
    for (const period of [1, 9, 50]) {
      it(`period ${period}: equals trading-signals' ROC bit for bit (both are fractions)`, () => {
        const { close } = readSharedBars(file);
        expectClose(roc(close, period), column(feed(new ROC(period), close), num), `roc(${period})`, { rtol: 0 });
      });
    }
  });
}
