import type { Metrics } from '../backtest/types.js';

/**
 * Collects metrics so that the output never holds NaN or ±Infinity: an undefined value is
 * stored as `null` and the reason goes to `warnings` ("<key>: <reason>"). `K` narrows the
 * keys it accepts (computeMetrics uses MetricKey).
 */
export class MetricSink<K extends string = string> {
  readonly metrics: Metrics = {};
  readonly warnings: string[] = [];

  /** Stores `value` when finite, else null with `reason` (or a generic reason). */
  put(key: K, value: number | null | undefined, reason?: string): void {
    if (typeof value === 'number' && Number.isFinite(value)) {
      this.metrics[key] = value === 0 ? 0 : value; // normalise −0
      return;
    }
    this.metrics[key] = null;
    this.warnings.push(`${key}: ${reason ?? `undefined (${value === undefined || value === null ? 'no value' : String(value)})`}`);
  }

  /** Stores null with a reason. */
  undefinedBecause(key: K, reason: string): void {
    this.put(key, null, reason);
  }

  /** Stores null for several keys that are undefined for one reason, with one warning ("<k1>, <k2>: <reason>"). */
  undefinedAll(keys: readonly K[], reason: string): void {
    for (const key of keys) this.metrics[key] = null;
    this.warnings.push(`${keys.join(', ')}: ${reason}`);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}
