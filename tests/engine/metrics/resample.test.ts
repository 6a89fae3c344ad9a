/** Calendar sampling of equity (pandas resample(freq).last().dropna()), checked against Date. */
import { describe, expect, it } from 'vitest';
import { monthIndexOfDay, periodEndValues, simpleReturns } from '../../../src/engine/metrics/resample.js';
import { DAY, HOUR, MONDAY } from './fixtures.js';

describe('monthIndexOfDay', () => {
  it('agrees with Date.UTC for every day from 1900 to 2100 (sampled)', () => {
    for (let d = Date.UTC(1900, 0, 1) / DAY; d < Date.UTC(2100, 0, 1) / DAY; d += 13) {
      const dt = new Date(d * DAY);
      expect(monthIndexOfDay(d)).toBe(dt.getUTCFullYear() * 12 + dt.getUTCMonth());
    }
    expect(monthIndexOfDay(Date.UTC(2024, 1, 29) / DAY)).toBe(2024 * 12 + 1);
  });
});

describe('periodEndValues', () => {
  it('daily: last value of each UTC day, empty days dropped', () => {
    const t = Float64Array.from([MONDAY, MONDAY + 5 * HOUR, MONDAY + 23 * HOUR, MONDAY + 2 * DAY + HOUR, MONDAY + 2 * DAY + 2 * HOUR]);
    const v = Float64Array.from([1, 2, 3, 4, 5]);
    expect(Array.from(periodEndValues(t, v, 'D'))).toEqual([3, 5]);
  });

  it('weekly: Monday–Sunday weeks', () => {
    // Mon 1st … Sun 7th in one week, Mon 8th starts the next
    const t = Float64Array.from([0, 3, 6, 7, 13, 14].map((d) => MONDAY + d * DAY));
    const v = Float64Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(periodEndValues(t, v, 'W'))).toEqual([3, 5, 6]);
  });

  it('monthly and yearly', () => {
    const t = Float64Array.from([Date.UTC(2023, 11, 31), Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 1)]);
    const v = Float64Array.from([1, 2, 3, 4]);
    expect(Array.from(periodEndValues(t, v, 'M'))).toEqual([1, 3, 4]);
    expect(Array.from(periodEndValues(t, v, 'Y'))).toEqual([1, 4]);
  });

  it('simpleReturns is pct_change without the leading NaN', () => {
    expect(Array.from(simpleReturns(Float64Array.from([100, 110, 99])))).toEqual([110 / 100 - 1, 99 / 110 - 1]);
    expect(simpleReturns(Float64Array.from([5])).length).toBe(0);
  });
});
