/** Periods per year from the calendar (EXECUTION.md §3–§4), never a hard-coded √252. */
import { describe, expect, it } from 'vitest';
import { DAY_MS, detectPeriods, HOUR_MS, MINUTE_MS, resolutionMs, utcWeekday, weekendShare } from '../../../src/engine/metrics/periods.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { DAY, dailyTimes, MONDAY } from './fixtures.js';

describe('weekend rule', () => {
  it('utcWeekday agrees with Date#getUTCDay', () => {
    for (let i = -10; i < 20; i++) {
      const t = MONDAY + i * DAY + 13 * HOUR_MS;
      expect(utcWeekday(t)).toBe(new Date(t).getUTCDay());
    }
  });

  it('24/7 daily bars → 365, weekday bars → 252 (both profiles)', () => {
    const all = dailyTimes(300, false);
    const wk = dailyTimes(300, true);
    expect(weekendShare(all)).toBeCloseTo(2 / 7, 2);
    expect(weekendShare(wk)).toBe(0);
    for (const flavour of ['standard', 'backtesting.py'] as const) {
      expect(detectPeriods(all, flavour)).toMatchObject({ periodsPerYear: 365, sampling: 'D' });
      expect(detectPeriods(wk, flavour)).toMatchObject({ periodsPerYear: 252, sampling: 'D' });
    }
  });

  it('a few weekend bars (FX opening on Sunday evening) stay below the 17.1 % threshold', () => {
    const t = dailyTimes(100, true);
    const some = Float64Array.from([...t, ...Array.from({ length: 15 }, (_, i) => t[99] + (i + 1) * 7 * DAY - 2 * DAY)].sort((a, b) => a - b));
    expect(weekendShare(some)).toBeLessThan((2 / 7) * 0.6);
    expect(detectPeriods(some, 'standard').periodsPerYear).toBe(252);
  });
});

describe('weekly and monthly data', () => {
  const weekly = Float64Array.from({ length: 60 }, (_, i) => MONDAY + i * 7 * DAY);
  // month ends: 28–31 day steps, median 31 days
  const monthEnds = Float64Array.from({ length: 40 }, (_, i) => Date.UTC(2020, i + 1, 0));

  it('weekly → 52 (backtesting.py samples at week ends)', () => {
    expect(detectPeriods(weekly, 'backtesting.py')).toMatchObject({ periodsPerYear: 52, sampling: 'W' });
    expect(detectPeriods(weekly, 'standard')).toMatchObject({ periodsPerYear: 52, sampling: 'D' });
  });

  it('month ends → 12 (backtesting.py samples at month ends)', () => {
    expect(detectPeriods(monthEnds, 'backtesting.py')).toMatchObject({ periodsPerYear: 12, sampling: 'M' });
    expect(detectPeriods(monthEnds, 'standard').periodsPerYear).toBe(12);
  });

  it('a 30.5-day median: monthly for the default profile, not for backtesting.py (whole days = 30)', () => {
    // steps alternate 30 and 31 days: 20 steps, median (30 + 31) / 2
    const alt = Float64Array.from({ length: 21 }, (_, i) => MONDAY + Math.floor(i / 2) * 61 * DAY + (i % 2) * 30 * DAY);
    expect(detectPeriods(alt, 'standard').periodsPerYear).toBe(12);
    expect(detectPeriods(alt, 'backtesting.py').sampling).toBe('D');
  });

  it('uses only the last 100 timestamps for the spacing', () => {
    const t = Float64Array.from([...Array.from({ length: 500 }, (_, i) => MONDAY + i * HOUR_MS), ...Array.from({ length: 101 }, (_, i) => MONDAY + 500 * HOUR_MS + (i + 1) * 7 * DAY)]);
    expect(detectPeriods(t, 'backtesting.py').periodsPerYear).toBe(52);
  });
});

describe('resolution for rounding durations', () => {
  it('is the largest whole unit of the spacing', () => {
    expect(resolutionMs(DAY_MS)).toBe(DAY_MS);
    expect(resolutionMs(31 * DAY_MS)).toBe(DAY_MS);
    expect(resolutionMs(HOUR_MS)).toBe(HOUR_MS);
    expect(resolutionMs(5 * MINUTE_MS)).toBe(MINUTE_MS);
    expect(resolutionMs(90 * MINUTE_MS)).toBe(MINUTE_MS);
  });
});

describeShared('periods per year on the shared fixtures', 'btcusd_1mo.csv', () => {
  it('monthly BTC → 12; hourly EURUSD (108 Sunday bars of 5000) → 252; 24/7 crypto minutes → 365', () => {
    expect(detectPeriods(readSharedBars('btcusd_1mo.csv').time, 'backtesting.py')).toMatchObject({ periodsPerYear: 12, sampling: 'M' });
    expect(detectPeriods(readSharedBars('eurusd_1h.csv').time, 'backtesting.py')).toMatchObject({ periodsPerYear: 252, sampling: 'D' });
    expect(detectPeriods(readSharedBars('eurusd_1h.csv').time, 'standard').periodsPerYear).toBe(252);
    expect(detectPeriods(readSharedBars('unittest_btc_1m.csv').time, 'standard').periodsPerYear).toBe(365);
    expect(detectPeriods(readSharedBars('goog_1d.csv').time, 'standard').periodsPerYear).toBe(252);
  });
});
