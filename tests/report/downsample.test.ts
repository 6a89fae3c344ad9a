import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/random.js';
import { candleBuckets, minMaxIndices } from '../../src/report/downsample.js';

function argExtremes(v: Float64Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

describe('minMaxIndices', () => {
  it('returns every index when n ≤ 4·buckets', () => {
    expect(Array.from(minMaxIndices(new Float64Array([3, 1, 2]), 1))).toEqual([0, 1, 2]);
    expect(Array.from(minMaxIndices(new Float64Array(40), 10))).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(minMaxIndices(new Float64Array(0), 5).length).toBe(0);
  });

  it('keeps first, last, global min and max; sorted, unique, at most 4 per bucket', () => {
    const rng = createRng(3);
    const n = 100_003;
    const v = new Float64Array(n);
    for (let i = 1; i < n; i++) v[i] = v[i - 1] + rng.normal();
    v[54_321] = -1e6; // a single-bar spike each way must survive
    v[77_777] = 1e6;
    const idx = minMaxIndices(v, 250);
    expect(idx.length).toBeLessThanOrEqual(1000);
    expect(idx.length).toBeGreaterThan(500);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
    const kept = Float64Array.from(idx, (i) => v[i]);
    expect(argExtremes(kept)).toEqual(argExtremes(v));
    expect([...idx]).toContain(54_321);
    expect([...idx]).toContain(77_777);
  });

  it('keeps each bucket\'s min and max (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 30 }), (xs, b) => {
        const v = Float64Array.from(xs);
        const idx = minMaxIndices(v, b);
        const kept = Float64Array.from(idx, (i) => v[i]);
        expect(argExtremes(kept)).toEqual(argExtremes(v));
        expect(idx[0]).toBe(0);
        expect(idx[idx.length - 1]).toBe(v.length - 1);
        expect(idx.length).toBeLessThanOrEqual(Math.max(v.length <= 4 * b ? v.length : 4 * b, 1));
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('never picks NaN as a minimum or maximum', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => (i % 7 === 3 ? Number.NaN : Math.sin(i)));
    const idx = minMaxIndices(v, 5);
    const inner = [...idx].filter((i) => i !== 0 && i !== 99 && i % 20 !== 0 && i % 20 !== 19);
    for (const i of inner) expect(Number.isNaN(v[i])).toBe(false);
  });
});

describe('candleBuckets', () => {
  const n = 10;
  const time = Float64Array.from({ length: n }, (_, i) => 1000 + i);
  const open = Float64Array.from({ length: n }, (_, i) => 10 + i);
  const high = Float64Array.from({ length: n }, (_, i) => 20 + ((i * 7) % 10));
  const low = Float64Array.from({ length: n }, (_, i) => 5 - ((i * 3) % 10));
  const close = Float64Array.from({ length: n }, (_, i) => 11 + i);

  it('copies the bars when n ≤ buckets', () => {
    const c = candleBuckets(time, open, high, low, close, 10);
    expect(c.size).toBe(1);
    expect(Array.from(c.high)).toEqual(Array.from(high));
    expect(c.time).not.toBe(time);
  });

  it('aggregates open of the first bar, max high, min low, close of the last, time of the first', () => {
    const c = candleBuckets(time, open, high, low, close, 4); // size 3 → 4 candles (3,3,3,1)
    expect(c.size).toBe(3);
    expect(Array.from(c.time)).toEqual([1000, 1003, 1006, 1009]);
    expect(Array.from(c.open)).toEqual([10, 13, 16, 19]);
    expect(Array.from(c.close)).toEqual([13, 16, 19, 20]);
    for (let b = 0; b < 4; b++) {
      const span = [...Array(n).keys()].slice(b * 3, b * 3 + 3);
      expect(c.high[b]).toBe(Math.max(...span.map((i) => high[i])));
      expect(c.low[b]).toBe(Math.min(...span.map((i) => low[i])));
    }
  });

  it('reduces a million bars to at most `buckets` candles and keeps the extremes', () => {
    const rng = createRng(5);
    const m = 1_000_000;
    const t = new Float64Array(m);
    const o = new Float64Array(m);
    const h = new Float64Array(m);
    const l = new Float64Array(m);
    const c = new Float64Array(m);
    let p = 100;
    for (let i = 0; i < m; i++) {
      t[i] = i * 60_000;
      o[i] = p;
      p *= 1 + rng.normal() * 0.001;
      c[i] = p;
      h[i] = Math.max(o[i], p) * 1.0005;
      l[i] = Math.min(o[i], p) * 0.9995;
    }
    const k = candleBuckets(t, o, h, l, c, 1500);
    expect(k.time.length).toBeLessThanOrEqual(1500);
    expect(argExtremes(k.high).max).toBe(argExtremes(h).max);
    expect(argExtremes(k.low).min).toBe(argExtremes(l).min);
    expect(k.open[0]).toBe(o[0]);
    expect(k.close[k.close.length - 1]).toBe(c[m - 1]);
  });
});
