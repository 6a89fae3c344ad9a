import type { Metrics } from '../backtest/types.js';

/**
 * Collects metrics so that the output never holds NaN or ±Infinity: an undefined value is
 * stored as `null` and the reason goes to `warnings` ("<key>: <reason>").
 */
export class MetricSink {
  readonly metrics: Metrics = {};
  readonly warnings: string[] = [];

  /** Stores `value` when finite, else null with `reason` (or a generic reason). */
  put(key: string, value: number | null | undefined, reason?: string): void {
    if (typeof value === 'number' && Number.isFinite(value)) {
      this.metrics[key] = value === 0 ? 0 : value; // normalise −0
      return;
    }
    this.metrics[key] = null;
    this.warnings.push(`${key}: ${reason ?? `undefined (${value === undefined || value === null ? 'no value' : String(value)})`}`);
  }

  /** Stores null with a reason. */
  undefinedBecause(key: string, reason: string): void {
    this.put(key, null, reason);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}
