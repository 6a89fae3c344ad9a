import { assertPeriod, nanArray } from './util.js';

/**
 * Rate of change (momentum as a return): (x[t] − x[t−period]) / x[t−period], as a FRACTION
 * (0.05 = +5 %). Positive and rising ROC means accelerating upward momentum; a zero cross
 * is a simple trend signal.
 *
 * Convention (trading-signals `ROC`, Tulip `roc`): a fraction, not a percentage (multiply
 * by 100 for the "percent ROC" of charting packages). First value at index `period`, NaN
 * before. When the base value x[t−period] is 0 the change is undefined and the output is
 * NaN (not ±Infinity). NaN inputs propagate to the outputs that use them. Never rounded.
 */
export function roc(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const n = values.length;
  const out = nanArray(n);
  for (let i = period; i < n; i++) {
    const base = values[i - period];
    if (base !== 0) out[i] = (values[i] - base) / base;
  }
  return out;
}
