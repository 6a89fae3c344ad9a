import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/engine/data/errors.js';
import {
  TIMEFRAMES,
  bucketStart,
  formatDuration,
  formatTimeframe,
  inferTimeframe,
  isTimeframe,
  medianStep,
  nextBucketStart,
  normalizeTimeframe,
  parseTimeframe,
} from '../../../src/engine/data/timeframe.js';

const H = 3_600_000;
const D = 24 * H;

describe('parseTimeframe', () => {
  it('parses every canonical timeframe with unit, count and size', () => {
    expect(parseTimeframe('1m')).toMatchObject({ id: '1m', unit: 'minute', count: 1, ms: 60_000, calendar: false });
    expect(parseTimeframe('15m')).toMatchObject({ unit: 'minute', count: 15, ms: 900_000 });
    expect(parseTimeframe('4h')).toMatchObject({ id: '4h', unit: 'hour', count: 4, ms: 4 * H });
    expect(parseTimeframe('12h').ms).toBe(43_200_000);
    expect(parseTimeframe('1d')).toMatchObject({ unit: 'day', count: 1, ms: D });
    expect(parseTimeframe('1w')).toMatchObject({ unit: 'week', count: 1, ms: 7 * D });
    // 1M is a calendar month; its nominal size is the mean Gregorian month (365.2425 d / 12)
    expect(parseTimeframe('1M')).toMatchObject({ id: '1M', unit: 'month', count: 1, calendar: true });
    expect(parseTimeframe('1M').ms).toBeCloseTo(30.436875 * D, 6);
    for (const id of TIMEFRAMES) expect(parseTimeframe(id).id).toBe(id);
  });

  it('keeps m (minute) and M (month) apart, and normalises other spellings', () => {
    expect(parseTimeframe('1m').unit).toBe('minute');
    expect(parseTimeframe('1M').unit).toBe('month');
    expect(normalizeTimeframe('1H')).toBe('1h');
    expect(normalizeTimeframe('1D')).toBe('1d');
    expect(normalizeTimeframe('1W')).toBe('1w');
    expect(normalizeTimeframe(' 5min ')).toBe('5m');
    expect(normalizeTimeframe('1mo')).toBe('1M');
    expect(normalizeTimeframe('1month')).toBe('1M');
    expect(normalizeTimeframe('60m')).toBe('1h');
    expect(normalizeTimeframe('24h')).toBe('1d');
    expect(normalizeTimeframe('7d')).toBe('1w');
    expect(formatTimeframe('hour', 4)).toBe('4h');
    expect(formatTimeframe('month', 1)).toBe('1M');
  });

  it('rejects unknown forms with an error naming the value and the accepted forms', () => {
    for (const bad of ['', '7m', '2M', '1y', 'h1', '1 fortnight', 'constructor', '1constructor', '-1h', '1.5h']) {
      expect(isTimeframe(bad)).toBe(false);
      try {
        parseTimeframe(bad);
        expect.unreachable(`accepted ${bad}`);
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        const err = e as DataError;
        expect(err.code).toBe('invalid_timeframe');
        expect(err.field).toBe('timeframe');
        expect(err.message).toContain(JSON.stringify(bad));
        expect(err.message).toContain('1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 1w, 1M');
      }
    }
  });
});

describe('buckets', () => {
  it('aligns fixed sizes to UTC epoch multiples', () => {
    const t = Date.UTC(2024, 0, 31, 13, 47, 12);
    expect(bucketStart(t, parseTimeframe('4h'))).toBe(Date.UTC(2024, 0, 31, 12));
    expect(bucketStart(t, parseTimeframe('15m'))).toBe(Date.UTC(2024, 0, 31, 13, 45));
    expect(bucketStart(t, parseTimeframe('1d'))).toBe(Date.UTC(2024, 0, 31));
  });

  it('starts weeks on Monday 00:00 UTC', () => {
    const w = parseTimeframe('1w');
    // 2024-01-31 is a Wednesday; its week began Monday 2024-01-29
    expect(bucketStart(Date.UTC(2024, 0, 31, 13), w)).toBe(Date.UTC(2024, 0, 29));
    // Sunday 23:59 still belongs to the week that began the previous Monday
    expect(bucketStart(Date.UTC(2024, 1, 4, 23, 59), w)).toBe(Date.UTC(2024, 0, 29));
    expect(bucketStart(Date.UTC(2024, 1, 5), w)).toBe(Date.UTC(2024, 1, 5));
    // before the epoch too (1969-12-29 was a Monday)
    expect(bucketStart(Date.UTC(1969, 11, 31), w)).toBe(Date.UTC(1969, 11, 29));
    expect(new Date(bucketStart(Date.UTC(2031, 6, 17, 5), w)).getUTCDay()).toBe(1);
  });

  it('uses calendar months, including leap Februaries and year ends', () => {
    const m = parseTimeframe('1M');
    expect(bucketStart(Date.UTC(2024, 1, 29, 23, 59), m)).toBe(Date.UTC(2024, 1, 1));
    expect(nextBucketStart(Date.UTC(2024, 1, 1), m)).toBe(Date.UTC(2024, 2, 1));
    expect(nextBucketStart(Date.UTC(2023, 11, 1), m)).toBe(Date.UTC(2024, 0, 1));
    expect(bucketStart(Date.UTC(1900, 1, 28, 12), m)).toBe(Date.UTC(1900, 1, 1));
    expect(bucketStart(Date.UTC(1969, 11, 31, 23), m)).toBe(Date.UTC(1969, 11, 1));
  });
});

describe('inferTimeframe', () => {
  const spaced = (steps: number[], start = Date.UTC(2024, 0, 1)): Float64Array => {
    const t = [start];
    for (const s of steps) t.push(t[t.length - 1] + s);
    return Float64Array.from(t);
  };

  it('finds the timeframe from the median spacing despite gaps', () => {
    // daily bars with a weekend gap
    expect(inferTimeframe(spaced([D, D, D, D, 3 * D, D, D, D, D, 3 * D]))).toBe('1d');
    expect(inferTimeframe(spaced([H, H, H, 49 * H, H]))).toBe('1h');
    expect(inferTimeframe(spaced([7 * D, 7 * D, 14 * D]))).toBe('1w');
    // month-end labels: 29, 31, 30, 31 days
    expect(inferTimeframe(spaced([29 * D, 31 * D, 30 * D, 31 * D]))).toBe('1M');
  });

  it('returns null for irregular spacing or fewer than two bars', () => {
    expect(inferTimeframe(spaced([7_000, 11_000, 13_000]))).toBeNull();
    expect(inferTimeframe(spaced([45 * 60_000, 45 * 60_000]))).toBeNull();
    expect(inferTimeframe(Float64Array.of(0))).toBeNull();
    expect(inferTimeframe(new Float64Array(0))).toBeNull();
  });

  it('medianStep is the lower median of the steps (checked against a sort)', () => {
    let s = 12345;
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + (trial * 7) % 40;
      const t = new Float64Array(n);
      for (let i = 1; i < n; i++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        t[i] = t[i - 1] + 1 + (s % 5) * 1000; // many ties
      }
      const steps = Array.from(t.subarray(1), (x, i) => x - t[i]).sort((a, b) => a - b);
      expect(medianStep(t)).toBe(steps[(steps.length - 1) >> 1]);
    }
  });
});

describe('formatDuration', () => {
  it('renders spans compactly', () => {
    expect(formatDuration(D + H)).toBe('1d 1h');
    expect(formatDuration(45 * 60_000)).toBe('45m');
    expect(formatDuration(1500)).toBe('1.5s');
  });
});
