import { describe, expect, it } from 'vitest';
import { walkForwardSplits } from '../../../src/engine/validation/splits.js';
import { addMonthsUtc, parseDuration } from '../../../src/engine/validation/durations.js';

const DAY = 86_400_000;
const hourly = (n: number, start = Date.UTC(2024, 0, 1)): Float64Array => Float64Array.from({ length: n }, (_, i) => start + i * 3_600_000);
const daily = (n: number, start = Date.UTC(2024, 0, 1)): Float64Array => Float64Array.from({ length: n }, (_, i) => start + i * DAY);
const plain = (r: ReturnType<typeof walkForwardSplits>) => r.windows.map((w) => [w.isStart, w.isEnd, w.oosStart, w.oosEnd]);

describe('walkForwardSplits', () => {
  it('rolling, in bars: fixed-length IS sliding by the OOS length, OOS blocks tile without overlap', () => {
    const r = walkForwardSplits(hourly(100), { mode: 'rolling', is: 40, oos: 20 });
    expect(plain(r)).toEqual([
      [0, 40, 40, 60],
      [20, 60, 60, 80],
      [40, 80, 80, 100],
    ]);
    expect(r.unused_tail_bars).toBe(0);
    expect(r.windows.every((w) => !w.overlaps && !w.partial)).toBe(true);
  });

  it('anchored: IS always starts at bar 0; an incomplete last OOS window is dropped and reported', () => {
    const r = walkForwardSplits(hourly(105), { mode: 'anchored', is: 40, oos: 20 });
    expect(plain(r)).toEqual([
      [0, 40, 40, 60],
      [0, 60, 60, 80],
      [0, 80, 80, 100],
    ]);
    expect(r.unused_tail_bars).toBe(5);
    const partial = walkForwardSplits(hourly(105), { mode: 'anchored', is: 40, oos: 20, allowPartial: true });
    expect(partial.windows[3]).toMatchObject({ oosStart: 100, oosEnd: 105, partial: true });
  });

  it('purge drops bars at the end of IS; embargo skips bars between OOS blocks', () => {
    const r = walkForwardSplits(hourly(100), { mode: 'rolling', is: 30, oos: 20, purge: 3, embargo: 5 });
    expect(plain(r)).toEqual([
      [0, 27, 30, 50],
      [25, 52, 55, 75],
      [50, 77, 80, 100],
    ]);
  });

  it('never overlaps by default: a step shorter than OOS is an error unless allowOverlap flags the windows', () => {
    const t = hourly(100);
    expect(() => walkForwardSplits(t, { mode: 'rolling', is: 40, oos: 20, step: 10 })).toThrow(/overlap/);
    const r = walkForwardSplits(t, { mode: 'rolling', is: 40, oos: 20, step: 10, allowOverlap: true });
    expect(r.windows.length).toBe(5);
    expect(r.windows.every((w) => w.overlaps)).toBe(true);
    const tiled = walkForwardSplits(t, { mode: 'rolling', is: 10, oos: 7 }).windows;
    for (let k = 1; k < tiled.length; k++) expect(tiled[k].oosStart).toBeGreaterThanOrEqual(tiled[k - 1].oosEnd);
  });

  it('calendar durations select bars by time on gappy data (weekdays only)', () => {
    // 4 weeks of weekday-only daily bars starting Monday 2024-01-01.
    const days: number[] = [];
    for (let d = 0; d < 28; d++) {
      const t = Date.UTC(2024, 0, 1) + d * DAY;
      const wd = new Date(t).getUTCDay();
      if (wd !== 0 && wd !== 6) days.push(t);
    }
    const time = Float64Array.from(days); // 20 bars
    const r = walkForwardSplits(time, { mode: 'rolling', is: '1w', oos: '1w' });
    // Each calendar week holds 5 bars, whatever the gaps.
    expect(plain(r)).toEqual([
      [0, 5, 5, 10],
      [5, 10, 10, 15],
      [10, 15, 15, 20],
    ]);
    // The last OOS week ends Monday 2024-01-29 00:00; the data ends Friday 26th: a weekend gap, so covered.
    expect(r.windows[2].partial).toBe(false);
  });

  it('detects calendar overlaps too (a 28-day step against 1-month OOS windows)', () => {
    expect(() => walkForwardSplits(daily(200), { mode: 'rolling', is: '30d', oos: '1M', step: '28d' })).toThrow(/overlap/);
  });

  it('calendar months use calendar arithmetic (31, 29, 31 days)', () => {
    const time = daily(366); // 2024 is a leap year
    const r = walkForwardSplits(time, { mode: 'rolling', is: '1M', oos: '1M' });
    expect(r.windows.slice(0, 3).map((w) => w.oosEnd - w.oosStart)).toEqual([29, 31, 30]);
    expect(r.windows[0]).toMatchObject({ isStart: 0, isEnd: 31, oosStart: 31 });
    expect(addMonthsUtc(Date.UTC(2024, 0, 31, 12), 1)).toBe(Date.UTC(2024, 1, 29, 12));
  });

  it('errors clearly for too-short data and bad lengths', () => {
    expect(() => walkForwardSplits(hourly(50), { mode: 'rolling', is: 40, oos: 20 })).toThrow(/too short/);
    expect(() => walkForwardSplits(hourly(100), { mode: 'rolling', is: 10, oos: 20, purge: 9 })).toThrow(/too short.*skipped/);
    expect(() => walkForwardSplits(Float64Array.from([0, 2, 1, 3]), { mode: 'rolling', is: 1, oos: 1 })).toThrow(/ascending/);
    expect(() => parseDuration('6m', 'is')).toThrow(/ambiguous/);
    expect(() => parseDuration('soon', 'oos')).toThrow(/cannot parse/);
    expect(() => parseDuration(0, 'is')).toThrow(/>= 1/);
    expect(parseDuration('90d', 'is')).toMatchObject({ kind: 'ms', ms: 90 * DAY });
    expect(parseDuration('1y', 'is')).toMatchObject({ kind: 'months', months: 12 });
    expect(parseDuration('500', 'is')).toMatchObject({ kind: 'bars', bars: 500 });
  });
});
