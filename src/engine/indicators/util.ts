/** Shared argument checks and helpers for indicator functions. */
import { InputError } from '../errors.js';

/**
 * Throws an InputError naming `name` unless `period` is an integer >= `min` (default 1).
 * NaN, ±Infinity, fractions, zero and negatives are all rejected.
 */
export function assertPeriod(period: number, name: string, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new InputError(`${name} must be an integer >= ${min}, got ${period}`);
  }
}

/** Throws an InputError naming `name` unless `value` is a finite number >= 0 (a band width). */
export function assertMultiplier(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(`${name} must be a finite number >= 0, got ${value}`);
  }
}

/** Throws a RangeError naming the arrays unless all have the same length. */
export function assertSameLength(arrays: Readonly<Record<string, Float64Array>>): void {
  const names = Object.keys(arrays);
  if (names.length === 0) return;
  const n = arrays[names[0]].length;
  for (const name of names) {
    if (arrays[name].length !== n) {
      const sizes = names.map((k) => `${k}=${arrays[k].length}`).join(', ');
      throw new RangeError(`input arrays must have the same length, got ${sizes}`);
    }
  }
}

/** Index of the first non-NaN value, or the array length when all are NaN. */
export function firstValid(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) return i;
  return values.length;
}

/** A new array of length n filled with NaN (the warm-up value of every indicator). */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}

/**
 * Applies `compute` to the part of `values` after its leading NaNs and returns a full-length
 * array with NaN over the skipped prefix. This lets a smoother run on another indicator's
 * output (e.g. the MACD signal line, ADX = smoothed DX): warm-up then simply adds up.
 * `compute` must return an array as long as its input. No copy when nothing is skipped.
 */
export function skipLeadingNaNs(values: Float64Array, compute: (tail: Float64Array) => Float64Array): Float64Array {
  const start = firstValid(values);
  if (start === 0) return compute(values);
  const out = nanArray(values.length);
  if (start < values.length) out.set(compute(values.subarray(start)), start);
  return out;
}
