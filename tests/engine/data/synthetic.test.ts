import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/engine/data/errors.js';
import { REGIMES, generateSynthetic, generateSyntheticWithRegimes } from '../../../src/engine/data/synthetic.js';
import { validateCandles } from '../../../src/engine/data/validate.js';

const START = Date.UTC(2023, 0, 1);
const base = { symbol: 'SYN', timeframe: '1h', bars: 100_000, seed: 42, start: START } as const;

function logReturns(close: Float64Array): Float64Array {
  const r = new Float64Array(close.length - 1);
  for (let i = 1; i < close.length; i++) r[i - 1] = Math.log(close[i] / close[i - 1]);
  return r;
}
function autocorr(x: Float64Array, lag: number): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i] - m) ** 2;
    if (i >= lag) num += (x[i] - m) * (x[i - lag] - m);
  }
  return num / den;
}
function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('generateSynthetic', () => {
  const { candles: c, regimes } = generateSyntheticWithRegimes(base);

  it('is reproducible: same seed ⇒ identical arrays, different seed ⇒ different', () => {
    const again = generateSynthetic({ ...base, bars: 5000 });
    const same = generateSynthetic({ ...base, bars: 5000 });
    for (const col of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect(same[col]).toEqual(again[col]);
    const other = generateSynthetic({ ...base, bars: 5000, seed: 43 });
    expect(other.close).not.toEqual(again.close);
    expect(other.time).toEqual(again.time);
    // a shorter run is a prefix of a longer one with the same seed
    expect(again.close).toEqual(c.close.subarray(0, 5000));
  });

  it('has consistent OHLC, positive prices and 24/7 spacing over 100k bars', () => {
    expect(c.time.length).toBe(100_000);
    expect(c.timeframe).toBe('1h');
    expect(validateCandles(c)).toEqual([]);
    let gapSum = 0;
    for (let i = 0; i < c.time.length; i++) {
      if (c.time[i] !== START + i * 3_600_000) throw new Error(`bar ${i} time ${c.time[i]}`);
      if (!(c.high[i] >= Math.max(c.open[i], c.close[i]) && c.low[i] <= Math.min(c.open[i], c.close[i]) && c.low[i] > 0 && c.volume[i] > 0)) {
        throw new Error(`bar ${i} inconsistent`);
      }
      if (i > 0) gapSum += Math.abs(Math.log(c.open[i] / c.close[i - 1]));
    }
    expect(c.open[0]).toBe(100);
    // open ≈ previous close: gaps are small next to the bar's own moves
    const meanAbsReturn = logReturns(c.close).reduce((s, v) => s + Math.abs(v), 0) / (c.time.length - 1);
    expect(gapSum / (c.time.length - 1)).toBeGreaterThan(0);
    expect(gapSum / (c.time.length - 1)).toBeLessThan(0.2 * meanAbsReturn);
  });

  it('switches between trend and range regimes, and trends drift their way', () => {
    const counts = [0, 0, 0];
    const sum = [0, 0, 0];
    let switches = 0;
    const r = logReturns(c.close);
    for (let i = 1; i < regimes.length; i++) {
      counts[regimes[i]]++;
      sum[regimes[i]] += r[i - 1];
      if (regimes[i] !== regimes[i - 1]) switches++;
    }
    for (const k of [REGIMES.trendUp, REGIMES.trendDown, REGIMES.range]) expect(counts[k] / regimes.length).toBeGreaterThan(0.15);
    expect(switches).toBeGreaterThan(200);
    expect(sum[REGIMES.trendUp] / counts[REGIMES.trendUp]).toBeGreaterThan(0);
    expect(sum[REGIMES.trendDown] / counts[REGIMES.trendDown]).toBeLessThan(0);
    expect(Math.abs(sum[REGIMES.range] / counts[REGIMES.range])).toBeLessThan(sum[REGIMES.trendUp] / counts[REGIMES.trendUp]);
  });

  it('shows volatility clustering and volume that rises with |return|', () => {
    const r = logReturns(c.close);
    const abs = r.map(Math.abs);
    expect(autocorr(abs, 1)).toBeGreaterThan(0.05);
    expect(autocorr(abs, 10)).toBeGreaterThan(0.02);
    // raw returns are close to uncorrelated (no easy linear edge)
    expect(Math.abs(autocorr(r, 1))).toBeLessThan(0.05);
    // fat tails: excess kurtosis > 0
    const m = r.reduce((s, v) => s + v, 0) / r.length;
    const v2 = r.reduce((s, v) => s + (v - m) ** 2, 0) / r.length;
    const v4 = r.reduce((s, v) => s + (v - m) ** 4, 0) / r.length;
    expect(v4 / (v2 * v2)).toBeGreaterThan(3.2);
    expect(corr(abs, c.volume.subarray(1))).toBeGreaterThan(0.3);
  });

  it('uses calendar months for 1M and keeps prices sane over a long daily series', () => {
    const m = generateSynthetic({ ...base, timeframe: '1M', bars: 14, start: Date.UTC(2023, 0, 31, 12) });
    expect(Array.from(m.time.subarray(0, 4))).toEqual([Date.UTC(2023, 0, 31, 12), Date.UTC(2023, 1, 28, 12), Date.UTC(2023, 2, 31, 12), Date.UTC(2023, 3, 30, 12)]);
    expect(m.time[13]).toBe(Date.UTC(2024, 1, 29, 12));
    const d = generateSynthetic({ ...base, timeframe: '1d', bars: 200_000, startPrice: 50 });
    let lo = Infinity;
    let hi = 0;
    for (const x of d.close) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBeGreaterThan(50 / 1e4);
    expect(hi).toBeLessThan(50 * 1e4);
  });

  it('rejects bad options with a DataError naming the field', () => {
    for (const [field, patch] of [
      ['bars', { bars: -1 }],
      ['bars', { bars: 1.5 }],
      ['seed', { seed: NaN }],
      ['startPrice', { startPrice: 0 }],
      ['symbol', { symbol: '' }],
    ] as const) {
      try {
        generateSynthetic({ ...base, ...patch });
        expect.unreachable(field);
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        expect((e as DataError).field).toBe(field);
      }
    }
    expect(() => generateSynthetic({ ...base, timeframe: '7m' })).toThrow(/invalid timeframe/);
    expect(generateSynthetic({ ...base, bars: 0 }).time.length).toBe(0);
  });

  it('generates 1,000,000 bars (speed: npm run bench:components)', () => {
    const big = generateSynthetic({ ...base, timeframe: '1m', bars: 1_000_000 });
    expect(big.close.length).toBe(1_000_000);
    expect(big.time[999_999] - big.time[0]).toBe(999_999 * 60_000);
  });
});
