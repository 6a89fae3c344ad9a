import { RSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { rsi } from '../../../src/engine/indicators/rsi.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { column, expectClose, feed, num, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('rsi — the EXECUTION.md §6 contract', () => {
  it('matches Tulip Indicators `rsi 5` (first value at index period)', () => {
    expectTulip(rsi(f64(TULIP_CLOSE), 5), TULIP.rsi5, 'rsi(5)');
  });
  it('hand-worked: seed = mean of the first period differences, then Wilder smoothing', () => {
    // period 2 on [1, 2, 1, 3]: d = +1, −1, +2. Seed at index 2: gain 0.5, loss 0.5 → 50.
    // index 3: gain (0.5·1 + 2)/2 = 1.25, loss (0.5·1 + 0)/2 = 0.25 → RS 5 → 100 − 100/6
    const out = rsi(f64([1, 2, 1, 3]), 2);
    expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBe(50);
    expect(out[3]).toBeCloseTo(100 - 100 / 6, 12);
  });
  it('is 100 when the average loss is 0 and the average gain > 0, 0 in the mirror case', () => {
    expect(Array.from(rsi(f64([1, 2, 3, 3, 3]), 2))).toEqual([NaN, NaN, 100, 100, 100]);
    expect(Array.from(rsi(f64([3, 2, 1]), 2))).toEqual([NaN, NaN, 0]);
  });
  it('is 50 when both averages are 0 (flat market), and only then', () => {
    expect(Array.from(rsi(f64([7, 7, 7, 7]), 2))).toEqual([NaN, NaN, 50, 50]);
    expect(rsi(f64([7, 7, 7, 8]), 2)[3]).toBe(100);
  });
  it('period 1 uses only the last difference', () => {
    expect(Array.from(rsi(f64([5, 6, 4, 4]), 1))).toEqual([NaN, 100, 0, 50]);
  });
});

periodValidation('rsi', { period: (p) => rsi(f64([1, 2, 3]), p) });

indicatorContract({ name: 'rsi(close, 1)', compute: (b) => rsi(b.close, 1), firstIndex: 1 });
indicatorContract({ name: 'rsi(close, 2)', compute: (b) => rsi(b.close, 2), firstIndex: 2 });
indicatorContract({ name: 'rsi(close, 14)', compute: (b) => rsi(b.close, 14), firstIndex: 14 });

for (const file of ORACLE_FILES) {
  describeShared(`rsi vs trading-signals on ${file}`, file, () => {
    for (const period of [2, 5, 14, 30]) {
      it(`period ${period}: equals trading-signals' RSI (WSMA) at every bar`, () => {
        const { close } = readSharedBars(file);
        const ours = rsi(close, period);
        const theirs = column(feed(new RSI(period), close), num);
        // Mapping: trading-signals says 100 for a flat market where the contract says 50.
        // Both Wilder averages are 0 exactly when every difference so far is 0.
        let flatUntil = 0;
        while (flatUntil + 1 < close.length && close[flatUntil + 1] === close[0]) flatUntil++;
        const skip = (i: number): boolean => i <= flatUntil && ours[i] === 50 && theirs[i] === 100;
        expectClose(ours, theirs, `rsi(${period})`, { rtol: 1e-12, atol: 1e-12, skip });
      });
    }
  });
}
