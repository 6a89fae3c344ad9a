import { EMA, MACD } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { macd } from '../../../src/engine/indicators/macd.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { column, convergedAfter, expectClose, feed, ORACLE_FILES, scaleOf, tsSmaSeededEma } from './oracle.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('macd — hand-worked values', () => {
  it('line = EMA(fast) − EMA(slow), signal = EMA of the line from its first value', () => {
    // close 1..6 then 4; fast 2, slow 3, signal 2.
    // EMA2 (seed 1.5 at 1, alpha 2/3) tracks x − 0.5 on the ramp; EMA3 (seed 2 at 2, alpha 1/2)
    // tracks x − 1. So macd = 0.5 from index 2 and the signal (seed mean(0.5, 0.5) at 3) = 0.5.
    // Bar 6 (x = 4): EMA2 = 2/3·4 + 1/3·5.5 = 4.5, EMA3 = (4 + 5)/2 = 4.5 → macd 0,
    // signal = 2/3·0 + 1/3·0.5 = 1/6, histogram −1/6.
    const m = macd(f64([1, 2, 3, 4, 5, 6, 4]), 2, 3, 2);
    const expected = { macd: [NaN, NaN, 0.5, 0.5, 0.5, 0.5, 0], signal: [NaN, NaN, NaN, 0.5, 0.5, 0.5, 1 / 6] };
    expected.macd.forEach((v, i) => (Number.isNaN(v) ? expect(m.macd[i]).toBeNaN() : expect(m.macd[i]).toBeCloseTo(v, 12)));
    expected.signal.forEach((v, i) =>
      Number.isNaN(v) ? expect(m.signal[i]).toBeNaN() : expect(m.signal[i]).toBeCloseTo(v, 12),
    );
    expect(m.histogram[2]).toBeNaN();
    expect(m.histogram[6]).toBeCloseTo(-1 / 6, 12);
  });
  it('accepts fast ≥ slow (the line just changes sign)', () => {
    const xs = f64([1, 3, 2, 5, 4, 6, 8, 7]);
    const a = macd(xs, 2, 4, 2);
    const b = macd(xs, 4, 2, 2);
    expect(a.macd[5]).toBeCloseTo(-b.macd[5], 14);
  });
});

periodValidation('macd', {
  fast: (p) => macd(f64([1, 2, 3]), p, 3, 2),
  slow: (p) => macd(f64([1, 2, 3]), 2, p, 2),
  signalPeriod: (p) => macd(f64([1, 2, 3]), 2, 3, p),
});

indicatorContract({ name: 'macd(close, 2, 3, 2)', compute: (b) => ({ ...macd(b.close, 2, 3, 2) }), firstIndex: { macd: 2, signal: 3, histogram: 3 } });
indicatorContract({
  name: 'macd(close, 12, 26, 9)',
  compute: (b) => ({ ...macd(b.close, 12, 26, 9) }),
  firstIndex: { macd: 25, signal: 33, histogram: 33 },
});

for (const file of ORACLE_FILES) {
  describeShared(`macd vs trading-signals on ${file}`, file, () => {
    for (const [fast, slow, sig] of [
      [12, 26, 9],
      [5, 35, 5],
      [2, 5, 9],
    ] as const) {
      it(`(${fast}, ${slow}, ${sig}): equals the composition of SMA-seeded trading-signals EMAs at every bar`, () => {
        const { close } = readSharedBars(file);
        const ours = macd(close, fast, slow, sig);
        const fastE = tsSmaSeededEma(close, fast);
        const slowE = tsSmaSeededEma(close, slow);
        const line = fastE.map((v, i) => v - slowE[i]);
        const signal = tsSmaSeededEma(line, sig);
        // macd is a difference of prices: relative error is measured against the price scale
        const atol = 1e-12 * scaleOf(close);
        expectClose(ours.macd, line, 'macd', { rtol: 1e-9, atol });
        expectClose(ours.signal, signal, 'signal', { rtol: 1e-9, atol });
        expectClose(ours.histogram, line.map((v, i) => v - signal[i]), 'histogram', { rtol: 1e-9, atol });
      });
      it(`(${fast}, ${slow}, ${sig}): equals trading-signals' own MACD once the first-value seeds have decayed`, () => {
        const { close } = readSharedBars(file);
        const ours = macd(close, fast, slow, sig);
        const theirs = feed(new MACD(new EMA(fast), new EMA(slow), new EMA(sig)), close);
        const from = convergedAfter(slow + sig, 1 - 2 / (Math.max(fast, slow, sig) + 1));
        const atol = 1e-9 * scaleOf(close);
        expectClose(ours.macd, column(theirs, (r) => r.macd), 'macd', { from, rtol: 1e-9, atol });
        expectClose(ours.signal, column(theirs, (r) => r.signal), 'signal', { from, rtol: 1e-9, atol });
        expectClose(ours.histogram, column(theirs, (r) => r.histogram), 'histogram', { from, rtol: 1e-9, atol });
      });
    }
  });
}
