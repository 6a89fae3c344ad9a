import { describe, expect, it } from 'vitest';
import { datetimeToMs, msToDatetime, parseAttrJson } from '../../src/storage/optuna-model.js';

describe('optuna-model', () => {
  it('reads the NaN and Infinity tokens Python json.dumps writes as null, leaving strings alone', () => {
    expect(parseAttrJson('{"a": [1, NaN, -Infinity, Infinity], "s": "NaN and Infinity \\" NaN"}')).toEqual({ a: [1, null, null, null], s: 'NaN and Infinity " NaN' });
    expect(parseAttrJson('[1.5, {"x": "y"}]')).toEqual([1.5, { x: 'y' }]);
    expect(() => parseAttrJson('{broken')).toThrow(SyntaxError);
  });

  it('writes and reads Optuna datetimes in UTC to the millisecond', () => {
    const t = Date.UTC(2026, 11, 8, 1, 2, 3, 456);
    expect(msToDatetime(t)).toBe('2026-12-08 01:02:03.456000');
    expect(datetimeToMs('2026-12-08 01:02:03.456789')).toBe(t);
    expect(datetimeToMs('2026-12-08 01:02:03')).toBe(t - 456);
    expect(() => datetimeToMs('yesterday')).toThrow(/not an Optuna datetime/);
  });
});
