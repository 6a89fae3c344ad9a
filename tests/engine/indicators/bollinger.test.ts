import { BollingerBands } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.js';
import { bollinger } from '../../../src/engine/indicators/bollinger.js';
import { sma } from '../../../src/engine/indicators/sma.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { column, expectClose, feed, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('bollinger — hand-worked and published values', () => {
  it('middle = SMA, bands = middle ± k·population std', () => {
    // window [1, 3]: mean 2, population std 1 → 2 ± 2·1; window [3, 7]: 5 ± 2·2
    const b = bollinger(f64([1, 3, 7]), 2, 2);
    expect(Array.from(b.middle)).toEqual([NaN, 2, 5]);
    expect(Array.from(b.upper)).toEqual([NaN, 4, 9]);
    expect(Array.from(b.lower)).toEqual([NaN, 0, 1]);
  });
  it('matches Tulip Indicators `bbands 5 2`', () => {
    const b = bollinger(f64(TULIP_CLOSE), 5, 2);
    expectTulip(b.lower, TULIP.bbands5x2.lower, 'lower');
    expectTulip(b.middle, TULIP.bbands5x2.middle, 'middle');
    expectTulip(b.upper, TULIP.bbands5x2.upper, 'upper');
  });
  it('collapses to the middle on a flat window, and middle is exactly sma()', () => {
    const xs = f64([0.1, 0.2, 0.3, 0.3, 0.3]);
    const b = bollinger(xs, 3, 2.5);
    expect(b.upper[4]).toBe(0.3);
    expect(b.lower[4]).toBe(0.3);
    expect(Array.from(b.middle)).toEqual(Array.from(sma(xs, 3)));
  });
  it('k = 0 gives three equal lines; a negative or non-finite k is rejected', () => {
    const b = bollinger(f64([1, 2, 4]), 2, 0);
    expect(Array.from(b.upper)).toEqual(Array.from(b.middle));
    expect(() => bollinger(f64([1, 2]), 2, -1)).toThrow(/k/);
    expect(() => bollinger(f64([1, 2]), 2, NaN)).toThrow(InputError);
  });
});

periodValidation('bollinger', { period: (p) => bollinger(f64([1, 2, 3]), p, 2) });

indicatorContract({ name: 'bollinger(close, 1, 2)', compute: (b) => ({ ...bollinger(b.close, 1, 2) }), firstIndex: 0 });
indicatorContract({ name: 'bollinger(close, 5, 2)', compute: (b) => ({ ...bollinger(b.close, 5, 2) }), firstIndex: 4 });
indicatorContract({ name: 'bollinger(close, 20, 1.5)', compute: (b) => ({ ...bollinger(b.close, 20, 1.5) }), firstIndex: 19 });

for (const file of ORACLE_FILES) {
  describeShared(`bollinger vs trading-signals on ${file}`, file, () => {
    for (const [period, k] of [
      [2, 2],
      [20, 2],
      [50, 1.5],
    ] as const) {
      it(`(${period}, ${k}): equals trading-signals' BollingerBands at every bar`, () => {
        const { close } = readSharedBars(file);
        const ours = bollinger(close, period, k);
        const theirs = feed(new BollingerBands(period, k), close);
        for (const band of ['lower', 'middle', 'upper'] as const) {
          expectClose(ours[band], column(theirs, (r) => r[band]), `${band}(${period}, ${k})`, { rtol: 1e-12 });
        }
        // the band half-width k·std itself, where cancellation would show first
        const width = (b: { upper: Float64Array; middle: Float64Array }): Float64Array =>
          b.upper.map((u, i) => u - b.middle[i]);
        const theirsWidth = width({ upper: column(theirs, (r) => r.upper), middle: column(theirs, (r) => r.middle) });
        expectClose(width(ours), theirsWidth, `width(${period}, ${k})`, { rtol: 1e-11, atol: 1e-13 * Math.max(...close) });
      });
    }
  });
}
