import { DonchianChannels } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { donchian } from '../../../src/engine/indicators/donchian.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { candlesOf, column, expectClose, feed, ORACLE_FILES } from './oracle.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('donchian — hand-worked values', () => {
  it('upper = highest high, lower = lowest low of the last period bars (current included)', () => {
    const d = donchian(f64([10, 12, 11, 9, 13]), f64([8, 9, 7, 6, 10]), 3);
    expect(Array.from(d.upper)).toEqual([NaN, NaN, 12, 12, 13]);
    expect(Array.from(d.lower)).toEqual([NaN, NaN, 7, 6, 6]);
    expect(Array.from(d.middle)).toEqual([NaN, NaN, 9.5, 9, 9.5]);
  });
});

periodValidation('donchian', { period: (p) => donchian(f64([2, 3]), f64([1, 2]), p) });

indicatorContract({ name: 'donchian(1)', compute: (b) => ({ ...donchian(b.high, b.low, 1) }), firstIndex: 0 });
indicatorContract({ name: 'donchian(20)', compute: (b) => ({ ...donchian(b.high, b.low, 20) }), firstIndex: 19 });

for (const file of ORACLE_FILES) {
  describeShared(`donchian vs trading-signals on ${file}`, file, () => {
    for (const period of [1, 5, 20, 55]) {
      it(`period ${period}: equals trading-signals' DonchianChannels bit for bit`, () => {
        const bars = readSharedBars(file);
        const ours = donchian(bars.high, bars.low, period);
        const theirs = feed(new DonchianChannels(period), candlesOf(bars));
        for (const line of ['upper', 'middle', 'lower'] as const) {
          expectClose(ours[line], column(theirs, (r) => r[line]), `${line}(${period})`, { rtol: 0 });
        }
      });
    }
  });
}
