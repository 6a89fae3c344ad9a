/** Shared argument checks and helpers for indicator functions. */
export function assertPeriod(period: number, name: string): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${period}`);
  }
}

/** Index of the first non-NaN value, or the array length when all are NaN. */
export function firstValid(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) return i;
  return values.length;
}
