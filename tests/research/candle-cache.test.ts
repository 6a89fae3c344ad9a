import { describe, expect, it } from 'vitest';
import type { Candles } from '../../src/engine/data/candles.js';
import { BYTES_PER_BAR, CandleCache } from '../../src/research/candle-cache.js';

function series(bars: number): Candles {
  const col = (): Float64Array => new Float64Array(bars);
  return { symbol: 'X', timeframe: '1h', time: col(), open: col(), high: col(), low: col(), close: col(), volume: col() };
}

describe('CandleCache', () => {
  it('is bounded in bytes (48 a bar): the least recently used series are evicted and reported', () => {
    const cache = new CandleCache(1000 * BYTES_PER_BAR);
    const evicted: string[] = [];
    cache.onEvict((h) => evicted.push(h));
    cache.set('a', series(400));
    cache.set('b', series(400));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('c', series(400));
    expect(evicted).toEqual(['b']);
    expect(cache.stats()).toEqual({ series: 2, bars: 800, bytes: 800 * BYTES_PER_BAR, max_bytes: 1000 * BYTES_PER_BAR });
    cache.set('d', series(1000));
    expect(evicted).toEqual(['b', 'a', 'c']);
    expect(cache.stats().bytes).toBe(1000 * BYTES_PER_BAR);
  });

  it('keeps nothing larger than the whole budget, and says so with fits()', () => {
    const cache = new CandleCache(100 * BYTES_PER_BAR);
    expect(cache.fits(100)).toBe(true);
    expect(cache.fits(101)).toBe(false);
    cache.set('big', series(101));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.stats().bytes).toBe(0);
  });

  it('takes an evicted series back while something still holds it, instead of a second copy', () => {
    const cache = new CandleCache(500 * BYTES_PER_BAR);
    const held = series(300);
    cache.set('held', held);
    cache.set('other', series(300));
    expect(cache.stats().series).toBe(1);
    expect(cache.get('held')).toBe(held); // the same arrays: a running job still had them
    expect(cache.stats()).toMatchObject({ series: 1, bars: 300 });
  });

  it('unsubscribes', () => {
    const cache = new CandleCache(10 * BYTES_PER_BAR);
    const seen: string[] = [];
    const off = cache.onEvict((h) => seen.push(h));
    off();
    cache.set('a', series(10));
    cache.set('b', series(10));
    expect(seen).toEqual([]);
  });
});
