import fc from 'fast-check';
import { ADX, TR, WSMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { adx } from '../../../src/engine/indicators/adx.js';
import { rma } from '../../../src/engine/indicators/rma.js';
import { trueRange } from '../../../src/engine/indicators/true-range.js';
import { describeShared, readSharedBars, type RawBars } from '../../helpers/shared-data.js';
import { barsArbitrary, indicatorContract, periodValidation, type Bars } from './contract.js';
import { candlesOf, column, convergedAfter, expectClose, feed, num, ORACLE_FILES } from './oracle.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('adx — hand-worked values (Wilder worksheet, period 2)', () => {
  // bar: H, L, C        up, down → +DM, −DM     TR
  // 0:   10,   8,  9
  // 1:   11,   9, 10.5   1, −1   → 1, 0          max(2, 2, 0) = 2
  // 2:   12,  10, 11     1, −1   → 1, 0          max(2, 1.5, 0.5) = 2
  // 3:   11.5, 9,  9.5  −0.5, 1  → 0, 1          max(2.5, 0.5, 2) = 2.5
  // 4:   11,  8.5, 10   −0.5, 0.5 → 0, 0.5       max(2.5, 1.5, 1) = 2.5
  // 5:   12.5, 10, 12    1.5, −1.5 → 1.5, 0      max(2.5, 2.5, 0) = 2.5
  // Smoothed (seed = mean of bars 1..2, then (prev + x)/2):
  //   +DM 1, 0.5, 0.25, 0.875;  −DM 0, 0.5, 0.5, 0.25;  TR 2, 2.25, 2.375, 2.4375
  //   +DI 50, 22.22, 10.53, 35.90;  −DI 0, 22.22, 21.05, 10.26;  DX 100, 0, 33.33, 55.56
  //   ADX at 3 = mean(100, 0) = 50; at 4 = (50 + 100/3)/2 = 125/3; at 5 = (125/3 + 500/9)/2 = 875/18
  const h = f64([10, 11, 12, 11.5, 11, 12.5]);
  const l = f64([8, 9, 10, 9, 8.5, 10]);
  const c = f64([9, 10.5, 11, 9.5, 10, 12]);
  const expected = {
    plusDi: [NaN, NaN, 50, 100 * (0.5 / 2.25), 100 * (0.25 / 2.375), 100 * (0.875 / 2.4375)],
    minusDi: [NaN, NaN, 0, 100 * (0.5 / 2.25), 100 * (0.5 / 2.375), 100 * (0.25 / 2.4375)],
    adx: [NaN, NaN, NaN, 50, 125 / 3, 875 / 18],
  };
  const out = adx(h, l, c, 2);
  for (const key of ['plusDi', 'minusDi', 'adx'] as const) {
    it(`${key}`, () => {
      expected[key].forEach((v, i) => (Number.isNaN(v) ? expect(out[key][i]).toBeNaN() : expect(out[key][i]).toBeCloseTo(v, 12)));
    });
  }
  it('a tie between the up and the down move gives no directional movement to either side', () => {
    // bar 1: up = 1, down = 1 → both DMs 0 → both DIs 0 → DX 0 (and ADX 0 with period 1)
    const t = adx(f64([10, 11]), f64([8, 7]), f64([9, 9]), 1);
    expect([t.plusDi[1], t.minusDi[1], t.adx[1]]).toEqual([0, 0, 0]);
  });
  it('a market without any range gives DIs of 0 and ADX 0 instead of NaN', () => {
    const t = adx(f64([5, 5, 5, 5]), f64([5, 5, 5, 5]), f64([5, 5, 5, 5]), 1);
    expect(Array.from(t.plusDi)).toEqual([NaN, 0, 0, 0]);
    expect(Array.from(t.adx)).toEqual([NaN, 0, 0, 0]);
  });
});

/** The same definition composed from the exported building blocks (rma, trueRange). */
function composedAdx(b: Bars, period: number): { adx: Float64Array; plusDi: Float64Array; minusDi: Float64Array } {
  const n = b.close.length;
  const tr = trueRange(b.high, b.low, b.close);
  const plusDm = new Float64Array(n);
  const minusDm = new Float64Array(n);
  if (n > 0) tr[0] = plusDm[0] = minusDm[0] = NaN; // rma skips leading NaNs: seeds cover bars 1..period
  for (let i = 1; i < n; i++) {
    const up = b.high[i] - b.high[i - 1];
    const down = b.low[i - 1] - b.low[i];
    plusDm[i] = up > down && up > 0 ? up : 0;
    minusDm[i] = down > up && down > 0 ? down : 0;
  }
  const [sTr, sP, sM] = [rma(tr, period), rma(plusDm, period), rma(minusDm, period)];
  const plusDi = sTr.map((a, i) => (a === 0 ? 0 : (100 * sP[i]) / a));
  const minusDi = sTr.map((a, i) => (a === 0 ? 0 : (100 * sM[i]) / a));
  const dx = plusDi.map((p, i) => (p + minusDi[i] === 0 ? 0 : (100 * Math.abs(p - minusDi[i])) / (p + minusDi[i])));
  return { adx: rma(dx, period), plusDi, minusDi };
}

describe('adx — fused loop', () => {
  it('is bit-identical to the composition of rma and trueRange', () => {
    fc.assert(
      fc.property(barsArbitrary, fc.integer({ min: 1, max: 12 }), (b, period) => {
        const fused = adx(b.high, b.low, b.close, period);
        const composed = composedAdx(b, period);
        for (const key of ['adx', 'plusDi', 'minusDi'] as const) expect(Array.from(fused[key])).toEqual(Array.from(composed[key]));
      }),
      { numRuns: 200 },
    );
  });
});

periodValidation('adx', { period: (p) => adx(f64([2, 3]), f64([1, 2]), f64([1.5, 2.5]), p) });

indicatorContract({ name: 'adx(1)', compute: (b) => ({ ...adx(b.high, b.low, b.close, 1) }), firstIndex: { adx: 1, plusDi: 1, minusDi: 1 } });
indicatorContract({ name: 'adx(3)', compute: (b) => ({ ...adx(b.high, b.low, b.close, 3) }), firstIndex: { adx: 5, plusDi: 3, minusDi: 3 } });
indicatorContract({
  name: 'adx(14)',
  compute: (b) => ({ ...adx(b.high, b.low, b.close, 14) }),
  firstIndex: { adx: 27, plusDi: 14, minusDi: 14 },
});

/**
 * Obviously-correct ADX assembled from trading-signals parts: its `TR` for the true range,
 * its `WSMA` (Wilder's smoothing with an SMA seed) for every smoothing, and the textbook
 * +DM/−DM rule written out here. Bars 1.. only (bar 0 has no previous bar).
 */
function referenceAdx(bars: RawBars, period: number): { adx: Float64Array; plusDi: Float64Array; minusDi: Float64Array } {
  const n = bars.close.length;
  const out = { adx: new Float64Array(n).fill(NaN), plusDi: new Float64Array(n).fill(NaN), minusDi: new Float64Array(n).fill(NaN) };
  const tr = column(feed(new TR(), candlesOf(bars)), num);
  const sTr = new WSMA(period);
  const sPlus = new WSMA(period);
  const sMinus = new WSMA(period);
  const sDx = new WSMA(period);
  for (let i = 1; i < n; i++) {
    const up = bars.high[i] - bars.high[i - 1];
    const down = bars.low[i - 1] - bars.low[i];
    const a = sTr.add(tr[i]);
    const p = sPlus.add(up > down && up > 0 ? up : 0);
    const m = sMinus.add(down > up && down > 0 ? down : 0);
    if (a === null || p === null || m === null) continue;
    out.plusDi[i] = a === 0 ? 0 : (p / a) * 100;
    out.minusDi[i] = a === 0 ? 0 : (m / a) * 100;
    const sum = out.plusDi[i] + out.minusDi[i];
    const x = sDx.add(sum === 0 ? 0 : (Math.abs(out.plusDi[i] - out.minusDi[i]) / sum) * 100);
    if (x !== null) out.adx[i] = x;
  }
  return out;
}

/** Bars with an exact up/down tie (trading-signals credits BOTH sides there, we neither). */
function dmTies(bars: RawBars): number[] {
  const ties: number[] = [];
  for (let i = 1; i < bars.close.length; i++) {
    const up = bars.high[i] - bars.high[i - 1];
    if (up > 0 && up === bars.low[i - 1] - bars.low[i]) ties.push(i);
  }
  return ties;
}

for (const file of ORACLE_FILES) {
  describeShared(`adx vs trading-signals on ${file}`, file, () => {
    for (const period of [2, 5, 14, 30]) {
      it(`period ${period}: equals an ADX assembled from trading-signals' TR and WSMA at every bar`, () => {
        const bars = readSharedBars(file);
        const ours = adx(bars.high, bars.low, bars.close, period);
        const ref = referenceAdx(bars, period);
        for (const key of ['plusDi', 'minusDi', 'adx'] as const) {
          expectClose(ours[key], ref[key], `${key}(${period})`, { rtol: 1e-9, atol: 1e-9 });
        }
      });
      it(`period ${period}: equals trading-signals' own ADX once its bar-0 seed and any DM tie have decayed`, () => {
        const bars = readSharedBars(file);
        const ours = adx(bars.high, bars.low, bars.close, period);
        const ind = new ADX(period);
        const candles = candlesOf(bars);
        const theirs = { adx: new Float64Array(candles.length), plusDi: new Float64Array(candles.length), minusDi: new Float64Array(candles.length) };
        candles.forEach((candle, i) => {
          theirs.adx[i] = ind.add(candle) ?? NaN;
          // trading-signals' DIs are fractions; ours are percent
          theirs.plusDi[i] = (ind.pdi ?? NaN) * 100;
          theirs.minusDi[i] = (ind.mdi ?? NaN) * 100;
        });
        // Mapping: compare where the differences in convention have decayed below 1e-16:
        // after the seeds, and away from the (rare) bars where the tie rules differ.
        const from = convergedAfter(2 * period, 1 - 1 / period);
        const decay = from - 2 * period;
        const ties = dmTies(bars);
        const skip = (i: number): boolean => ties.some((t) => t <= i && i < t + decay);
        for (const key of ['plusDi', 'minusDi', 'adx'] as const) {
          expectClose(ours[key], theirs[key], `${key}(${period}) after ${from}`, { from, skip, rtol: 1e-9, atol: 1e-9, minCompared: 100 });
        }
      });
    }
  });
}
