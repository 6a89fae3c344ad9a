/**
 * The OHLCV rules, shared by the CSV importer and by `validateCandles` for columnar data
 * from other sources (inline tool input, generators, stored data being re-checked):
 * - every value finite (no NaN / ±Infinity);
 * - prices and volume not negative;
 * - high ≥ low, high ≥ max(open, close), low ≤ min(open, close);
 * - time strictly ascending (no duplicates).
 * Problems are reported, never repaired.
 */
import { CANDLE_COLUMNS, type CandleColumn, type Candles } from './candles.js';
import { DATA_ERROR_CODES, DataError } from './errors.js';
import { formatIso } from './iso-time.js';
import { parseTimeframe } from './timeframe.js';

/** Errors collected before the rest are only counted. */
export const MAX_REPORTED_ERRORS = 20;

export type BarReporter = (column: CandleColumn, value: number, message: string) => void;

/**
 * Checks one bar whose five values are already known to be finite numbers. Returns the
 * number of problems passed to `report` (0 on the fast path, without calling it).
 */
export function checkBar(o: number, h: number, l: number, c: number, v: number, report: BarReporter): number {
  const top = o > c ? o : c;
  const bottom = o < c ? o : c;
  if (bottom >= 0 && l >= 0 && v >= 0 && h >= top && l <= bottom && h >= l) return 0;
  let k = 0;
  const prices = [o, h, l, c];
  const names = ['open', 'high', 'low', 'close'] as const;
  for (let j = 0; j < 4; j++) {
    if (prices[j] < 0) {
      report(names[j], prices[j], `${names[j]} ${prices[j]} is negative (prices must be >= 0)`);
      k++;
    }
  }
  if (v < 0) {
    report('volume', v, `volume ${v} is negative (volume must be >= 0)`);
    k++;
  }
  if (h < l) {
    report('high', h, `high ${h} is below low ${l}`);
    k++;
  }
  if (h < top) {
    report('high', h, `high ${h} is below max(open, close) = ${top}`);
    k++;
  }
  if (l > bottom) {
    report('low', l, `low ${l} is above min(open, close) = ${bottom}`);
    k++;
  }
  return k;
}

/** A problem in columnar candles: `index` is the 0-based bar, or -1 for the whole series. */
export interface CandleError {
  readonly index: number;
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}

/**
 * Checks already-columnar candles against the same rules as the CSV importer, plus the
 * shape (six Float64Arrays of one length), a non-empty symbol, a known timeframe and at
 * least one bar. Returns an empty array when they are valid. At most `maxErrors` problems
 * are listed; when there are more, a final entry (index -1) says how many were left out.
 */
export function validateCandles(c: Candles, maxErrors = MAX_REPORTED_ERRORS): CandleError[] {
  const errors: CandleError[] = [];
  let omitted = 0;
  let firstOmitted = -1;
  const push = (e: CandleError): void => {
    if (errors.length < maxErrors) errors.push(e);
    else if (omitted++ === 0) firstOmitted = e.index;
  };
  if (typeof c.symbol !== 'string' || c.symbol.trim() === '') push({ index: -1, column: 'symbol', value: String(c.symbol), message: 'symbol must be a non-empty string' });
  try {
    parseTimeframe(c.timeframe);
  } catch (e) {
    push({ index: -1, column: 'timeframe', value: String(c.timeframe), message: e instanceof Error ? e.message : String(e) });
  }
  const n = c.time instanceof Float64Array ? c.time.length : -1;
  for (const col of CANDLE_COLUMNS) {
    const a: unknown = c[col];
    if (!(a instanceof Float64Array)) push({ index: -1, column: col, message: `${col} must be a Float64Array` });
    else if (a.length !== n) push({ index: -1, column: col, value: String(a.length), message: `${col} has ${a.length} values but time has ${n}` });
  }
  if (errors.length > 0) return errors; // shape is wrong: per-bar checks would index out of range
  if (n === 0) return [{ index: -1, message: 'no bars' }];

  let bar = 0;
  const report: BarReporter = (column, value, message) => push({ index: bar, column, value: String(value), message: `bar ${bar}: ${message}` });
  let prev = NaN;
  let prevIndex = -1;
  for (let i = 0; i < n; i++) {
    bar = i;
    const t = c.time[i];
    let finite = true;
    for (const col of CANDLE_COLUMNS) {
      const x = c[col][i];
      if (!Number.isFinite(x)) {
        push({ index: i, column: col, value: String(x), message: `bar ${i}: ${col} is ${x} (must be a finite number)` });
        finite = false;
      }
    }
    if (finite) checkBar(c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i], report);
    if (Number.isFinite(t)) {
      if (prevIndex >= 0 && t <= prev) {
        push({
          index: i,
          column: 'time',
          value: String(t),
          message:
            t === prev
              ? `bar ${i}: duplicate time ${formatIso(t)} (same as bar ${prevIndex})`
              : `bar ${i}: time ${formatIso(t)} is before bar ${prevIndex}'s ${formatIso(prev)} (times must be strictly ascending)`,
        });
      }
      if (t !== prev) {
        prev = t;
        prevIndex = i;
      }
    }
  }
  if (omitted > 0) errors.push({ index: -1, message: `…and ${omitted} more error(s) not listed (the first at bar ${firstOmitted})` });
  return errors;
}

/** Throws a `DataError` (code `invalid_candles`) listing the first problems, if any. */
export function assertValidCandles(c: Candles): void {
  const errors = validateCandles(c, 5);
  if (errors.length === 0) return;
  throw new DataError(DATA_ERROR_CODES.invalidCandles, 'candles', c.symbol, `invalid candles: ${errors.map((e) => e.message).join('; ')}`);
}
