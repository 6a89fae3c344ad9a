import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, monthIndexOf, monthStart, newIsoParse, parseIso } from '../../../src/engine/data/iso-time.js';

const parse = (s: string): { ok: boolean; ms: number; hasZone: boolean; hasTime: boolean } => {
  const out = newIsoParse();
  const ok = parseIso(s, out);
  return { ok, ...out };
};

describe('calendar arithmetic (oracle: Date.UTC)', () => {
  it('daysFromCivil and monthIndexOf agree with the platform calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1600, max: 2600 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (y, m, d) => {
        expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
        const t = Date.UTC(y, m - 1, d, 13, 5);
        expect(monthIndexOf(t)).toBe(y * 12 + m - 1);
        expect(monthStart(y * 12 + m - 1)).toBe(Date.UTC(y, m - 1, 1));
      }),
    );
  });
});

describe('parseIso', () => {
  it('round-trips Date#toISOString for any instant (oracle: the platform)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2199, 11, 31) }), (t) => {
        const r = parse(new Date(t).toISOString());
        expect(r.ok).toBe(true);
        expect(r.ms).toBe(t);
        expect(r.hasZone).toBe(true);
      }),
    );
  });

  it('reads dates, times, fractions and offsets', () => {
    expect(parse('2024-01-31')).toMatchObject({ ok: true, ms: Date.UTC(2024, 0, 31), hasZone: false, hasTime: false });
    expect(parse('2024-01-31T13:45')).toMatchObject({ ok: true, ms: Date.UTC(2024, 0, 31, 13, 45), hasZone: false });
    expect(parse('2024-01-31 13:45:07')).toMatchObject({ ok: true, ms: Date.UTC(2024, 0, 31, 13, 45, 7), hasZone: false });
    expect(parse('2024-01-31T13:45:07.5Z').ms).toBe(Date.UTC(2024, 0, 31, 13, 45, 7, 500));
    expect(parse('2024-01-31T13:45:07,250Z').ms).toBe(Date.UTC(2024, 0, 31, 13, 45, 7, 250));
    expect(parse('2024-01-31T13:45:07.123456Z').ms).toBeCloseTo(Date.UTC(2024, 0, 31, 13, 45, 7, 123) + 0.456, 6);
    // offsets: local time minus offset = UTC
    expect(parse('2024-01-31T13:45:00+02:00').ms).toBe(Date.UTC(2024, 0, 31, 11, 45));
    expect(parse('2024-01-31T13:45:00-0530').ms).toBe(Date.UTC(2024, 0, 31, 19, 15));
    expect(parse('2024-01-01T00:30:00+01').ms).toBe(Date.UTC(2023, 11, 31, 23, 30));
    expect(parse('  2024-02-29T00:00:00z ')).toMatchObject({ ok: true, ms: Date.UTC(2024, 1, 29), hasZone: true });
    expect(parse('1999-12-31T23:59:59Z').ms).toBe(Date.parse('1999-12-31T23:59:59Z'));
  });

  it('rejects malformed and impossible timestamps', () => {
    for (const bad of [
      '2024-1-31', '2024/01/31', '2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-01-31T24:00:00Z',
      '2024-01-31T12:60', '2024-01-31T12:00:60Z', '2024-01-31T12', '2024-01-31T12:00:00.Z', '2024-01-31T12:00:00.1234567890Z',
      '2024-01-31T12:00:00+2', '2024-01-31T12:00:00 UTC', '2024-01-31x', '20240131', 'yesterday', '',
    ]) {
      expect(parse(bad).ok, bad).toBe(false);
    }
  });
});
