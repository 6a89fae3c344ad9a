import { StochasticOscillator } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { rollingMax, rollingMin } from '../../../src/engine/indicators/rolling.js';
import { stochastic } from '../../../src/engine/indicators/stochastic.js';
import { describeShared, readSharedBars, type RawBars } from '../../helpers/shared-data.js';
import { indicatorContract, periodValidation } from './contract.js';
import { candlesOf, column, expectClose, feed, ORACLE_FILES } from './oracle.js';
import { expectTulip, TULIP, TULIP_CLOSE, TULIP_HIGH, TULIP_LOW } from './tulip.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('stochastic — hand-worked and published values', () => {
  it('fast %K = 100·(close − LL)/(HH − LL), %D = SMA of %K', () => {
    // kPeriod 2: bar 1 range [8, 12], close 11 → 75; bar 2 range [9, 14], close 9 → 0;
    // bar 3 range [9, 14], close 14 → 100. dPeriod 2: (75 + 0)/2, (0 + 100)/2
    const s = stochastic(f64([10, 12, 14, 13]), f64([8, 9, 9, 10]), f64([9, 11, 9, 14]), 2, 2);
    expect(Array.from(s.k)).toEqual([NaN, 75, 0, 100]);
    expect(Array.from(s.d)).toEqual([NaN, NaN, 37.5, 50]);
  });
  it('is 50 when the high–low range of the window is zero', () => {
    const s = stochastic(f64([5, 5, 5]), f64([5, 5, 5]), f64([5, 5, 5]), 2, 1);
    expect(Array.from(s.k)).toEqual([NaN, 50, 50]);
    expect(Array.from(s.d)).toEqual([NaN, 50, 50]);
  });
  it('matches Tulip Indicators `stoch 5 3 3` (slow stochastic)', () => {
    const s = stochastic(f64(TULIP_HIGH), f64(TULIP_LOW), f64(TULIP_CLOSE), 5, 3, 3);
    expectTulip(s.d, TULIP.stoch5x3x3.d, '%D');
    // Tulip prints %K only from the %D start; ours starts dPeriod − 1 = 2 bars earlier
    expect(Number.isNaN(s.k[5]) && Number.isFinite(s.k[6])).toBe(true);
    expectTulip(s.k.subarray(8), TULIP.stoch5x3x3.k, '%K');
  });
});

periodValidation('stochastic', {
  kPeriod: (p) => stochastic(f64([2, 3]), f64([1, 2]), f64([1.5, 2.5]), p, 3),
  dPeriod: (p) => stochastic(f64([2, 3]), f64([1, 2]), f64([1.5, 2.5]), 3, p),
  smooth: (p) => stochastic(f64([2, 3]), f64([1, 2]), f64([1.5, 2.5]), 3, 3, p),
});

indicatorContract({ name: 'stochastic(1, 1)', compute: (b) => ({ ...stochastic(b.high, b.low, b.close, 1, 1) }), firstIndex: 0 });
indicatorContract({
  name: 'stochastic(5, 3)',
  compute: (b) => ({ ...stochastic(b.high, b.low, b.close, 5, 3) }),
  firstIndex: { k: 4, d: 6 },
});
indicatorContract({
  name: 'stochastic(14, 3, 3)',
  compute: (b) => ({ ...stochastic(b.high, b.low, b.close, 14, 3, 3) }),
  firstIndex: { k: 15, d: 17 },
});

/** Bars whose %K or %D depends on a zero-range window (trading-signals: 0, ours: 50). */
function flatInfluence(bars: RawBars, kPeriod: number, span: number): (i: number) => boolean {
  const hh = rollingMax(bars.high, kPeriod);
  const ll = rollingMin(bars.low, kPeriod);
  let lastFlat = -Infinity;
  const touched = new Uint8Array(bars.close.length);
  for (let i = 0; i < touched.length; i++) {
    if (hh[i] === ll[i]) lastFlat = i;
    touched[i] = i - lastFlat < span ? 1 : 0;
  }
  return (i) => touched[i] === 1;
}

for (const file of ORACLE_FILES) {
  describeShared(`stochastic vs trading-signals on ${file}`, file, () => {
    for (const [kPeriod, dPeriod, smooth] of [
      [14, 3, 1],
      [14, 3, 3],
      [5, 3, 3],
      [3, 2, 2],
    ] as const) {
      it(`(${kPeriod}, ${dPeriod}, ${smooth}): equals trading-signals' StochasticOscillator`, () => {
        const bars = readSharedBars(file);
        const ours = stochastic(bars.high, bars.low, bars.close, kPeriod, dPeriod, smooth);
        const candles = candlesOf(bars);
        const theirs = feed(new StochasticOscillator({ kPeriod, kSlowingPeriod: smooth, dPeriod }), candles);
        // trading-signals reports %K only once %D exists; a dPeriod-1 run gives %K from its own start
        const theirsK = feed(new StochasticOscillator({ kPeriod, kSlowingPeriod: smooth, dPeriod: 1 }), candles);
        // Mapping: skip bars fed by a zero-range window (the conventions differ there: 50 vs 0)
        const skip = flatInfluence(bars, kPeriod, smooth + dPeriod - 1);
        const opts = { rtol: 1e-12, atol: 1e-12, skip, minCompared: bars.close.length / 2 };
        expectClose(ours.k, column(theirsK, (r) => r.stochK), `%K(${kPeriod}, ${smooth})`, opts);
        expectClose(ours.d, column(theirs, (r) => r.stochD), `%D(${kPeriod}, ${dPeriod}, ${smooth})`, opts);
      });
    }
  });
}
