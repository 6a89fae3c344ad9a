import { describe, expect, it } from 'vitest';
import { rollingMax, rollingMin } from '../../../src/engine/indicators/rolling.js';
import { rsi } from '../../../src/engine/indicators/rsi.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { expectClose, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

/** Obviously-correct O(n·period) reference: Math.max/min over each window. */
function bruteForce(values: Float64Array, period: number, pick: (...xs: number[]) => number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = period - 1; i < values.length; i++) out[i] = pick(...values.subarray(i - period + 1, i + 1));
  return out;
}

describe('rollingMax / rollingMin — hand-worked and published values', () => {
  it('covers the last period values including the current one', () => {
    const xs = f64([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(Array.from(rollingMax(xs, 3))).toEqual([NaN, NaN, 4, 4, 5, 9, 9, 9]);
    expect(Array.from(rollingMin(xs, 3))).toEqual([NaN, NaN, 1, 1, 1, 1, 2, 2]);
    expect(Array.from(rollingMax(xs, 1))).toEqual(Array.from(xs));
  });
  it('handles ties and monotone runs (deque eviction)', () => {
    expect(Array.from(rollingMax(f64([5, 5, 5, 4, 3, 2, 1]), 2))).toEqual([NaN, 5, 5, 5, 4, 3, 2]);
    expect(Array.from(rollingMin(f64([1, 2, 3, 4, 5]), 4))).toEqual([NaN, NaN, NaN, 1, 2]);
  });
  it('matches Tulip Indicators `max 5` and `min 5`', () => {
    expectTulip(rollingMax(f64(TULIP_CLOSE), 5), TULIP.max5, 'max(5)');
    expectTulip(rollingMin(f64(TULIP_CLOSE), 5), TULIP.min5, 'min(5)');
  });
  it('is NaN while the window holds a NaN (pandas min_periods = window)', () => {
    expect(Array.from(rollingMax(f64([1, NaN, 3, 2, 1]), 2))).toEqual([NaN, NaN, NaN, 3, 2]);
    expect(Array.from(rollingMin(f64([NaN, NaN, 3, 2, 4]), 2))).toEqual([NaN, NaN, NaN, 2, 2]);
  });
  it('returns all NaN when the series is shorter than the period', () => {
    expect(Array.from(rollingMax(f64([1, 2]), 5))).toEqual([NaN, NaN]);
  });
});

periodValidation('rollingMax', { period: (p) => rollingMax(f64([1, 2, 3]), p) });
periodValidation('rollingMin', { period: (p) => rollingMin(f64([1, 2, 3]), p) });

indicatorContract({ name: 'rollingMax(high, 1)', compute: (b) => rollingMax(b.high, 1), firstIndex: 0 });
indicatorContract({ name: 'rollingMax(high, 6)', compute: (b) => rollingMax(b.high, 6), firstIndex: 5 });
indicatorContract({ name: 'rollingMin(low, 6)', compute: (b) => rollingMin(b.low, 6), firstIndex: 5 });
indicatorContract({ name: 'rollingMin(rsi(close, 2), 3)', compute: (b) => rollingMin(rsi(b.close, 2), 3), firstIndex: 4 });

for (const file of ORACLE_FILES) {
  describeShared(`rollingMax / rollingMin vs brute force on ${file}`, file, () => {
    for (const period of [1, 2, 20, 100]) {
      it(`period ${period}: equals Math.max / Math.min over every window, exactly`, () => {
        const { high, low } = readSharedBars(file);
        expectClose(rollingMax(high, period), bruteForce(high, period, Math.max), `max(${period})`, { rtol: 0 });
        expectClose(rollingMin(low, period), bruteForce(low, period, Math.min), `min(${period})`, { rtol: 0 });
      });
    }
  });
}
