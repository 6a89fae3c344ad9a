/**
 * Builders for strategy params schemas. Every field gets a default, a description, explicit
 * bounds and error messages that name the field (full dotted path) and the offending value,
 * so a tool can pass them straight back to the caller. Objects are strict: an unknown key is
 * rejected with the list of known keys and a "did you mean …" suggestion.
 */
import { z } from 'zod';
import { DIRECTIONS, type Direction } from '../backtest/types.js';
import { didYouMean } from './suggest.js';

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

interface NumOptions<D> {
  readonly default: D;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}

function boundedNumber(field: string, min: number, max: number, int: boolean) {
  const kind = int ? 'an integer' : 'a number';
  let s = z.number({ error: (iss) => `${field} must be ${kind} in [${min}, ${max}], got ${show(iss.input)}` });
  if (int) s = s.int({ error: (iss) => `${field} must be an integer, got ${show(iss.input)}` });
  return s
    .min(min, { error: (iss) => `${field} must be >= ${min}, got ${show(iss.input)}` })
    .max(max, { error: (iss) => `${field} must be <= ${max}, got ${show(iss.input)}` });
}

/** Integer field in [min, max] (e.g. an indicator period). */
export function intParam(field: string, o: NumOptions<number>) {
  return boundedNumber(field, o.min, o.max, true).default(o.default).describe(o.description);
}

/** Real-valued field in [min, max]. */
export function numParam(field: string, o: NumOptions<number>) {
  return boundedNumber(field, o.min, o.max, false).default(o.default).describe(o.description);
}

/** Integer field in [min, max] or null (= off). */
export function nullableIntParam(field: string, o: NumOptions<number | null>) {
  return boundedNumber(field, o.min, o.max, true).nullable().default(o.default).describe(o.description);
}

/** The `direction` param. Default `long_only` (spot-safe; the reference case passes `long_short`). */
export function directionParam(defaultValue: Direction = 'long_only') {
  return z
    .enum(DIRECTIONS, {
      error: (iss) => `direction must be one of ${DIRECTIONS.join(', ')}, got ${show(iss.input)}`,
    })
    .default(defaultValue)
    .describe(
      'Sides traded: long_only (bearish events only close longs), short_only (bullish events only ' +
        'close shorts) or long_short (reversals: always in the market after the first signal).',
    );
}

/**
 * A strict object whose unknown keys are reported with the known ones and a suggestion.
 * `where` names the object in messages (`sma_cross params`, `thresholds`).
 */
export function strictParams<S extends z.ZodRawShape>(where: string, shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      const keys = iss.keys;
      const hint = keys.length === 1 ? didYouMean(keys[0], known) : '';
      return `unknown ${where} key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}${hint}; known keys: ${known.join(', ')}`;
    },
  });
}

/** Adds a custom issue at `path` (used by cross-field `.superRefine` checks). */
export function issue<T>(ctx: z.RefinementCtx<T>, path: readonly (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path: [...path], message });
}
