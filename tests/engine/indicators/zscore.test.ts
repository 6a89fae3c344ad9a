import { mean, sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { rsi } from '../../../src/engine/indicators/rsi.js';
import { zscore } from '../../../src/engine/indicators/zscore.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { expectClose, ORACLE_FILES } from './oracle.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

/** Obviously-correct reference: simple-statistics' mean and sample std over each window. */
function referenceZ(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = period - 1; i < values.length; i++) {
    const w = Array.from(values.subarray(i - period + 1, i + 1));
    const sd = sampleStandardDeviation(w);
    out[i] = sd === 0 ? NaN : (values[i] - mean(w)) / sd;
  }
  return out;
}

describe('zscore — hand-worked values', () => {
  it('uses the sample std (ddof 1) of the window that includes the current value', () => {
    // [1, 2, 3]: mean 2, sample std 1 → z = 1; [2, 3, 1]: mean 2, std 1 → z = −1
    expect(Array.from(zscore(f64([1, 2, 3, 1]), 3))).toEqual([NaN, NaN, 1, -1]);
    // [0, 4]: mean 2, sample std √8 → z = 2/√8 = 1/√2
    expect(zscore(f64([0, 4]), 2)[1]).toBeCloseTo(Math.SQRT1_2, 15);
  });
  it('is NaN when the window has no variance', () => {
    expect(Array.from(zscore(f64([1, 5, 5, 5, 6]), 3))).toEqual([NaN, NaN, expect.closeTo(0.57735026919, 10), NaN, expect.closeTo(1.1547005384, 9)]);
  });
  it('requires period ≥ 2 (a sample std needs two values)', () => {
    expect(() => zscore(f64([1, 2, 3]), 1)).toThrow(/period must be an integer >= 2/);
  });
});

periodValidation('zscore', { period: (p) => zscore(f64([1, 2, 3]), p) });

indicatorContract({
  name: 'zscore(close, 2)',
  compute: (b) => zscore(b.close, 2),
  firstIndex: 1,
  nanAfterWarmup: 'two equal consecutive closes have no variance, so z is NaN by definition',
});
indicatorContract({ name: 'zscore(close, 20)', compute: (b) => zscore(b.close, 20), firstIndex: 19 });
indicatorContract({ name: 'zscore(rsi(close, 3), 5)', compute: (b) => zscore(rsi(b.close, 3), 5), firstIndex: 7 });

for (const file of ORACLE_FILES) {
  describeShared(`zscore vs simple-statistics on ${file}`, file, () => {
    for (const period of [5, 20, 100]) {
      it(`period ${period}: equals (x − mean)/sampleStandardDeviation over every window`, () => {
        const { close } = readSharedBars(file);
        // z is a ratio of a near-zero numerator to a std: compare with an absolute floor too
        expectClose(zscore(close, period), referenceZ(close, period), `z(${period})`, { rtol: 1e-9, atol: 1e-9 });
      });
    }
  });
}
