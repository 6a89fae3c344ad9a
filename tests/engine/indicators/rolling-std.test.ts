import { sampleStandardDeviation, standardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.js';
import { rollingStd } from '../../../src/engine/indicators/rolling-std.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { expectClose, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

function perWindow(values: Float64Array, period: number, std: (xs: number[]) => number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = period - 1; i < values.length; i++) out[i] = std(Array.from(values.subarray(i - period + 1, i + 1)));
  return out;
}

describe('rollingStd — hand-worked and published values', () => {
  it('population (ddof 0) and sample (ddof 1) std of each window', () => {
    // window [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, Σ(x − 5)² = 32 → population 2, sample √(32/7)
    const xs = f64([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(rollingStd(xs, 8, 0)[7]).toBe(2);
    expect(rollingStd(xs, 8, 1)[7]).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(Array.from(rollingStd(f64([1, 3, 5]), 2, 0))).toEqual([NaN, 1, 1]);
  });
  it('matches Tulip Indicators `stddev 5` (population)', () => {
    expectTulip(rollingStd(f64(TULIP_CLOSE), 5, 0), TULIP.stddev5, 'stddev(5)');
  });
  it('is exactly 0 for a window of identical values, also after other values', () => {
    const out = rollingStd(f64([0.1, 0.3, 0.7, 0.7, 0.7, 0.7]), 3, 1);
    expect(out[4]).toBe(0);
    expect(out[5]).toBe(0);
    expect(out[3]).toBeGreaterThan(0);
  });
  it('stays accurate for tiny moves on a large level over a long series', () => {
    // 1e6 + small oscillation: the naive Σx² − (Σx)²/n formula loses every digit here
    const n = 100_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = 1e6 + ((i * 7919) % 13) * 1e-3;
    const out = rollingStd(xs, 20, 1);
    const ref = sampleStandardDeviation(Array.from(xs.subarray(n - 20)));
    expect(Math.abs(out[n - 1] - ref) / ref).toBeLessThan(1e-8);
  });
  it('gives NaN while a NaN is in the window and recovers afterwards', () => {
    const out = rollingStd(f64([1, 2, NaN, 4, 6, 8]), 2, 0);
    expect(Array.from(out)).toEqual([NaN, 0.5, NaN, NaN, 1, 1]);
  });
  it('rejects ddof outside [0, period)', () => {
    expect(() => rollingStd(f64([1, 2, 3]), 2, 2)).toThrow(/ddof/);
    expect(() => rollingStd(f64([1, 2, 3]), 2, -1)).toThrow(InputError);
  });
});

periodValidation('rollingStd', { period: (p) => rollingStd(f64([1, 2, 3]), p) });

indicatorContract({ name: 'rollingStd(close, 5, 0)', compute: (b) => rollingStd(b.close, 5, 0), firstIndex: 4 });
indicatorContract({ name: 'rollingStd(close, 2, 1)', compute: (b) => rollingStd(b.close, 2, 1), firstIndex: 1 });
indicatorContract({ name: 'rollingStd(volume, 11, 1)', compute: (b) => rollingStd(b.volume, 11, 1), firstIndex: 10 });

for (const file of ORACLE_FILES) {
  describeShared(`rollingStd vs simple-statistics on ${file}`, file, () => {
    for (const period of [2, 5, 20, 100]) {
      it(`period ${period}: population and sample std of every window`, () => {
        const { close } = readSharedBars(file);
        // absolute floor: windows of (almost) equal prices have std ≈ 0 where relative error is meaningless
        const atol = 1e-12 * Math.max(...close);
        expectClose(rollingStd(close, period, 0), perWindow(close, period, standardDeviation), `std0(${period})`, { atol });
        expectClose(rollingStd(close, period, 1), perWindow(close, period, sampleStandardDeviation), `std1(${period})`, { atol });
      });
    }
  });
}
