/**
 * Typed failure for the data layer's throwing functions (timeframes, date bounds,
 * resampling, synthetic options): an InputError (src/engine/errors.ts), which the boundary
 * shows as the caller's to fix; the message already names the field, the value, what was
 * expected and, where possible, a fix.
 * CSV parsing does not throw: it returns line-numbered errors (see `csv.ts`).
 */
import { InputError } from '../errors.js';

export const DATA_ERROR_CODES = {
  invalidTimeframe: 'invalid_timeframe',
  invalidDate: 'invalid_date',
  invalidRange: 'invalid_range',
  resampleFiner: 'resample_finer',
  resampleNotMultiple: 'resample_not_multiple',
  invalidOption: 'invalid_option',
  invalidCandles: 'invalid_candles',
} as const;
export type DataErrorCode = (typeof DATA_ERROR_CODES)[keyof typeof DATA_ERROR_CODES];

export class DataError extends InputError {
  readonly code: DataErrorCode;
  /** The argument or field at fault (e.g. `timeframe`, `from`). */
  readonly field: string;
  /** The offending value as text. */
  readonly value: string;

  constructor(code: DataErrorCode, field: string, value: string, message: string) {
    super(message, { field });
    this.name = 'DataError';
    this.code = code;
    this.field = field;
    this.value = value;
  }
}

/** Shortens a user-supplied value for an error message (hostile inputs can be huge). */
export function quoteValue(value: unknown, max = 60): string {
  const s = typeof value === 'string' ? value : String(value);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
