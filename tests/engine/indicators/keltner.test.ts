import { ATR, KeltnerChannels } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { keltner } from '../../../src/engine/indicators/keltner.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { candlesOf, column, convergedAfter, expectClose, feed, num, ORACLE_FILES, tsSmaSeededEma } from './oracle.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('keltner — hand-worked values', () => {
  it('middle = EMA(period) of close, bands = middle ± multiplier·ATR(atrPeriod)', () => {
    // bars (H, L, C): (11, 9, 10), (11, 9, 10), (14, 12, 13). TR = 2, 2, max(2, 4, 2) = 4.
    // period 2: EMA seed 10, then 2/3·13 + 1/3·10 = 12. ATR(2): seed 2, then (2 + 4)/2 = 3.
    const k = keltner(f64([11, 11, 14]), f64([9, 9, 12]), f64([10, 10, 13]), 2, 2, 2);
    expect(Array.from(k.middle.subarray(0, 2))).toEqual([NaN, 10]);
    expect(k.middle[2]).toBeCloseTo(12, 13);
    expect(Array.from(k.upper.subarray(0, 2))).toEqual([NaN, 14]);
    expect(k.upper[2]).toBeCloseTo(18, 13);
    expect(k.lower[2]).toBeCloseTo(6, 13);
  });
  it('atrPeriod defaults to 10 (StockCharts / trading-signals)', () => {
    const n = 30;
    const h = new Float64Array(n).map((_, i) => 10 + Math.sin(i) + 1);
    const l = new Float64Array(n).map((_, i) => 10 + Math.sin(i) - 1 - (i % 3));
    const c = new Float64Array(n).map((_, i) => 10 + Math.sin(i));
    expect(Array.from(keltner(h, l, c, 5, 2).upper)).toEqual(Array.from(keltner(h, l, c, 5, 2, 10).upper));
    expect(Number.isNaN(keltner(h, l, c, 5, 2).upper[8])).toBe(true);
  });
  it('rejects a negative multiplier', () => {
    expect(() => keltner(f64([2]), f64([1]), f64([1.5]), 2, -1)).toThrow(/multiplier/);
  });
});

periodValidation('keltner', {
  period: (p) => keltner(f64([2, 3]), f64([1, 2]), f64([1.5, 2.5]), p, 2),
  atrPeriod: (p) => keltner(f64([2, 3]), f64([1, 2]), f64([1.5, 2.5]), 2, 2, p),
});

indicatorContract({
  name: 'keltner(20, 2) (atr 10)',
  compute: (b) => ({ ...keltner(b.high, b.low, b.close, 20, 2) }),
  firstIndex: 19,
});
indicatorContract({
  name: 'keltner(3, 1.5, 7)',
  compute: (b) => ({ ...keltner(b.high, b.low, b.close, 3, 1.5, 7) }),
  firstIndex: 6,
});

for (const file of ORACLE_FILES) {
  describeShared(`keltner vs trading-signals on ${file}`, file, () => {
    for (const [period, mult, atrPeriod] of [
      [20, 2, 10],
      [10, 1.5, 20],
    ] as const) {
      it(`(${period}, ${mult}, ${atrPeriod}): equals SMA-seeded trading-signals EMA ± mult · trading-signals ATR`, () => {
        const bars = readSharedBars(file);
        const ours = keltner(bars.high, bars.low, bars.close, period, mult, atrPeriod);
        const mid = tsSmaSeededEma(bars.close, period);
        const range = column(feed(new ATR(atrPeriod), candlesOf(bars)), num);
        const first = Math.max(period, atrPeriod) - 1;
        const gate = (xs: Float64Array): Float64Array => xs.map((v, i) => (i < first ? NaN : v));
        expectClose(ours.middle, gate(mid), 'middle', { rtol: 1e-12 });
        expectClose(ours.upper, gate(mid.map((m, i) => m + mult * range[i])), 'upper', { rtol: 1e-12 });
        expectClose(ours.lower, gate(mid.map((m, i) => m - mult * range[i])), 'lower', { rtol: 1e-12 });
      });
      it(`(${period}, ${mult}, ${atrPeriod}): equals trading-signals' KeltnerChannels once its EMA seed has decayed`, () => {
        const bars = readSharedBars(file);
        const ours = keltner(bars.high, bars.low, bars.close, period, mult, atrPeriod);
        const theirs = feed(new KeltnerChannels({ emaInterval: period, atrInterval: atrPeriod, multiplier: mult }), candlesOf(bars));
        const from = convergedAfter(period - 1, 1 - 2 / (period + 1));
        for (const line of ['middle', 'upper', 'lower'] as const) {
          expectClose(ours[line], column(theirs, (r) => r[line]), line, { from, rtol: 1e-9 });
        }
      });
    }
  });
}
