/**
 * Percentiles and a compact distribution summary, shared by PBO logits and Monte Carlo.
 * Percentiles use linear interpolation between order statistics (Hyndman & Fan type 7,
 * numpy's default): h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 */
import { mean, std } from './moments.js';

export interface Summary {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly p05: number;
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  readonly p95: number;
  readonly max: number;
}

/** Quantile p in [0, 1] of an ascending-sorted array (type 7). NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Sorted copy of the finite values. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(Array.prototype.filter.call(values, (v: number) => Number.isFinite(v)) as number[]);
  return out.sort();
}

/** Summary of the finite values (NaN fields when there are none; callers map that to null). */
export function summarize(values: ArrayLike<number>): Summary {
  const x = sortedFinite(values);
  const n = x.length;
  return {
    mean: mean(x),
    std: std(x),
    min: n ? x[0] : NaN,
    p05: quantileSorted(x, 0.05),
    p25: quantileSorted(x, 0.25),
    median: quantileSorted(x, 0.5),
    p75: quantileSorted(x, 0.75),
    p95: quantileSorted(x, 0.95),
    max: n ? x[n - 1] : NaN,
  };
}
