import { EMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { ema } from '../../../src/engine/indicators/ema.js';
import { roc } from '../../../src/engine/indicators/roc.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { column, convergedAfter, expectClose, feed, num, ORACLE_FILES, tsSmaSeededEma } from './oracle.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('ema — hand-worked values', () => {
  it('seeds with the SMA of the first period values, then alpha = 2/(period+1)', () => {
    // period 3: seed mean(1,2,3) = 2 at index 2; alpha = 1/2: 0.5·4 + 0.5·2 = 3, then 4, 5
    expect(Array.from(ema(f64([1, 2, 3, 4, 5, 6]), 3))).toEqual([NaN, NaN, 2, 3, 4, 5]);
    // period 2: seed mean(2,4) = 3; alpha = 2/3: 2/3·6 + 1/3·3 = 5; 2/3·8 + 1/3·5 = 7
    const out = ema(f64([2, 4, 6, 8]), 2);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[1]).toBe(3);
    expect(out[2]).toBeCloseTo(5, 13);
    expect(out[3]).toBeCloseTo(7, 13);
  });
  it('period 1 is the identity and a series shorter than the period is all NaN', () => {
    expect(Array.from(ema(f64([3, 1, 4, 1, 5]), 1))).toEqual([3, 1, 4, 1, 5]);
    expect(Array.from(ema(f64([3, 1]), 3))).toEqual([NaN, NaN]);
    expect(ema(new Float64Array(0), 3).length).toBe(0);
  });
  it('skips leading NaNs (EMA of another indicator starts where that one is valid)', () => {
    const out = ema(f64([NaN, NaN, 1, 2, 3, 4, 5, 6]), 3);
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, NaN, 2, 3, 4, 5]);
  });
});

periodValidation('ema', { period: (p) => ema(f64([1, 2, 3]), p) });

indicatorContract({ name: 'ema(close, 1)', compute: (b) => ema(b.close, 1), firstIndex: 0 });
indicatorContract({ name: 'ema(close, 5)', compute: (b) => ema(b.close, 5), firstIndex: 4 });
indicatorContract({ name: 'ema(close, 20)', compute: (b) => ema(b.close, 20), firstIndex: 19 });
indicatorContract({ name: 'ema(roc(close, 3), 4)', compute: (b) => ema(roc(b.close, 3), 4), firstIndex: 6 });

for (const file of ORACLE_FILES) {
  describeShared(`ema vs trading-signals on ${file}`, file, () => {
    for (const period of [2, 12, 26, 50]) {
      it(`period ${period}: equals trading-signals' EMA fed the SMA seed, at every bar`, () => {
        const { close } = readSharedBars(file);
        expectClose(ema(close, period), tsSmaSeededEma(close, period), `ema(${period})`, { rtol: 1e-12 });
      });
      it(`period ${period}: equals trading-signals' own (first-value-seeded) EMA once the seed has decayed`, () => {
        const { close } = readSharedBars(file);
        const native = column(feed(new EMA(period), close), num);
        const from = convergedAfter(period - 1, 1 - 2 / (period + 1));
        expectClose(ema(close, period), native, `ema(${period}) after bar ${from}`, { from, rtol: 1e-9 });
      });
    }
  });
}
