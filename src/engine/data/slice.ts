/**
 * Date bounds for slicing candles by time. Ranges are half-open: `from` is INCLUSIVE and
 * `to` is EXCLUSIVE, so `from=2024-01-01, to=2024-02-01` is exactly January, and adjacent
 * ranges never share a bar. A date without a time means 00:00 UTC of that day (so
 * `to=2024-01-31` stops *before* January 31st).
 */
import { sliceByTime, type Candles } from './candles.js';
import { DATA_ERROR_CODES, DataError, quoteValue } from './errors.js';
import { formatIso, looksLikeIsoDate, newIsoParse, parseIso } from './iso-time.js';

const EXPECTED = 'YYYY-MM-DD, an ISO-8601 date-time such as 2024-01-31T13:45:00Z (no zone = UTC), or epoch seconds / milliseconds';

/**
 * Parses a date bound to epoch ms: `YYYY-MM-DD` (00:00 UTC), a full ISO-8601 timestamp, or
 * an epoch number (seconds when |value| < 1e11, else milliseconds). Throws `DataError`
 * (code `invalid_date`) naming the value and the accepted forms.
 */
export function parseDateBound(s: string, field = 'date'): number {
  const text = typeof s === 'string' ? s.trim() : '';
  const fail = (why: string): DataError =>
    new DataError(DATA_ERROR_CODES.invalidDate, field, String(s), `invalid ${field} ${quoteValue(s)}: ${why}; expected ${EXPECTED}`);
  if (text === '') throw fail('empty');
  if (looksLikeIsoDate(text)) {
    const out = newIsoParse();
    if (!parseIso(text, out)) throw fail('not a valid ISO-8601 date or timestamp (check the month/day ranges and the time format)');
    return out.ms;
  }
  if (!/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw fail('not a date');
  const v = Number(text);
  if (!Number.isFinite(v)) throw fail('not a finite number');
  if (Math.abs(v) < 1e11) return v * 1000;
  if (Math.abs(v) >= 1e14) throw fail('too large for epoch milliseconds (microseconds or nanoseconds?)');
  return v;
}

/**
 * Bars with from <= time < to, parsing both bounds with `parseDateBound` (either may be
 * omitted). Throws `DataError` (code `invalid_range`) when `to` is not after `from`; an
 * empty result for a valid range is returned as is (the caller decides whether that is an error).
 */
export function sliceByDateRange(c: Candles, range: { readonly from?: string; readonly to?: string }): Candles {
  const from = range.from === undefined ? undefined : parseDateBound(range.from, 'from');
  const to = range.to === undefined ? undefined : parseDateBound(range.to, 'to');
  if (from !== undefined && to !== undefined && to <= from) {
    throw new DataError(
      DATA_ERROR_CODES.invalidRange,
      'to',
      String(range.to),
      `invalid range: to ${quoteValue(range.to)} (${formatIso(to)}) must be after from ${quoteValue(range.from)} (${formatIso(from)}); to is exclusive`,
    );
  }
  return sliceByTime(c, from, to);
}
