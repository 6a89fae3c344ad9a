import { WMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { roc } from '../../../src/engine/indicators/roc.js';
import { wma } from '../../../src/engine/indicators/wma.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { column, expectClose, feed, num, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('wma — hand-worked and published values', () => {
  it('weights 1..period, newest heaviest', () => {
    // period 3 over [1, 2, 3]: (1·1 + 2·2 + 3·3)/6 = 14/6; over [2, 3, 10]: (2 + 6 + 30)/6 = 38/6
    const out = wma(f64([1, 2, 3, 10]), 3);
    expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBeCloseTo(14 / 6, 14);
    expect(out[3]).toBeCloseTo(38 / 6, 14);
  });
  it('matches Tulip Indicators `wma 5`', () => {
    expectTulip(wma(f64(TULIP_CLOSE), 5), TULIP.wma5, 'wma(5)');
  });
  it('gives NaN for windows holding a NaN and recovers exactly once the NaN has left', () => {
    const xs = [1, 2, 3, 4, NaN, 6, 7, 8, 9, 10];
    const out = wma(f64(xs), 3);
    expect(Array.from(out.subarray(4, 7)).every(Number.isNaN)).toBe(true);
    // window [6, 7, 8] → (6 + 14 + 24)/6 = 44/6
    expect(out[7]).toBeCloseTo(44 / 6, 14);
    expect(out[9]).toBeCloseTo((8 + 18 + 30) / 6, 14);
  });
  it('stays accurate on a long trending series (periodic re-summation keeps error bounded)', () => {
    const n = 200_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = 1000 + i * 0.37 + Math.sin(i) * 5;
    const out = wma(xs, 10);
    // direct weighted mean of the last window
    let w = 0;
    for (let j = 0; j < 10; j++) w += xs[n - 10 + j] * (j + 1);
    expect(Math.abs(out[n - 1] - w / 55) / (w / 55)).toBeLessThan(1e-13);
  });
});

periodValidation('wma', { period: (p) => wma(f64([1, 2, 3]), p) });

indicatorContract({ name: 'wma(close, 1)', compute: (b) => wma(b.close, 1), firstIndex: 0 });
indicatorContract({ name: 'wma(close, 4)', compute: (b) => wma(b.close, 4), firstIndex: 3 });
indicatorContract({ name: 'wma(close, 15)', compute: (b) => wma(b.close, 15), firstIndex: 14 });
indicatorContract({ name: 'wma(roc(close, 2), 3)', compute: (b) => wma(roc(b.close, 2), 3), firstIndex: 4 });

for (const file of ORACLE_FILES) {
  describeShared(`wma vs trading-signals on ${file}`, file, () => {
    for (const period of [2, 9, 20, 50]) {
      it(`period ${period}: equals trading-signals' WMA at every bar`, () => {
        const { close } = readSharedBars(file);
        expectClose(wma(close, period), column(feed(new WMA(period), close), num), `wma(${period})`, { rtol: 1e-12 });
      });
    }
  });
}
