/**
 * Helpers shared by the built-in strategies: direction handling, crossover tests,
 * Signals allocation, warm-up from indicator arrays, and caching of multi-output indicators
 * (the params schema builders, `direction` included, are in params.ts).
 *
 * Direction convention (every strategy): a strategy's signals already honour its own
 * `direction` param. A bullish event sets entry +1 only when longs are allowed and always sets
 * the exit-short bit; a bearish event sets entry −1 only when shorts are allowed and always
 * sets the exit-long bit. So `long_only` closes its long on a bearish event without ever
 * emitting a short entry, and the result does not depend on the simulator's own direction
 * filter (runBacktest maps `direction` onto `ExecutionSpec.direction` as well).
 */
import { EXIT_LONG, EXIT_SHORT, type Direction, type Signals } from '../backtest/types.js';
import { firstValid } from '../indicators/util.js';
import type { StrategyContext } from './types.js';

export function allowsLong(direction: Direction): boolean {
  return direction !== 'short_only';
}

export function allowsShort(direction: Direction): boolean {
  return direction !== 'long_only';
}

/** Mutable per-bar arrays a strategy fills before returning them as `Signals`. */
export interface SignalBuffers {
  readonly entry: Int8Array;
  readonly exit: Uint8Array;
}

/** Zeroed signal buffers for n bars: fresh, or the context's reusable scratch buffers. */
export function allocSignals(n: number, ctx?: StrategyContext): SignalBuffers {
  return ctx?.scratch ? ctx.scratch.signals(n) : { entry: new Int8Array(n), exit: new Uint8Array(n) };
}

/** Bullish event at bar t: enter long (if allowed) and close any short. */
export function markBullish(buf: SignalBuffers, t: number, direction: Direction): void {
  if (allowsLong(direction)) buf.entry[t] = 1;
  buf.exit[t] |= EXIT_SHORT;
}

/** Bearish event at bar t: enter short (if allowed) and close any long. */
export function markBearish(buf: SignalBuffers, t: number, direction: Direction): void {
  if (allowsShort(direction)) buf.entry[t] = -1;
  buf.exit[t] |= EXIT_LONG;
}

/**
 * a crosses above b at t: a[t−1] < b[t−1] && a[t] > b[t] (strict on both bars, as
 * backtesting.py's `crossover`). Any NaN operand makes it false. Requires t ≥ 1.
 */
export function crossedAbove(a: Float64Array, b: Float64Array, t: number): boolean {
  return a[t - 1] < b[t - 1] && a[t] > b[t];
}

/** a crosses below b at t (mirror of `crossedAbove`). */
export function crossedBelow(a: Float64Array, b: Float64Array, t: number): boolean {
  return a[t - 1] > b[t - 1] && a[t] < b[t];
}

/**
 * Warm-up bar w: the largest first-non-NaN index over the given indicator arrays (the array
 * length when one is never valid, so no decision is ever taken).
 */
export function warmupOf(...arrays: readonly Float64Array[]): number {
  let w = 0;
  for (const a of arrays) w = Math.max(w, firstValid(a));
  return w;
}

/** First bar at which a decision may be taken: w + 1 (EXECUTION.md §1), and ≥ 1 for crosses. */
export function firstDecisionBar(warmup: number): number {
  return Math.max(1, warmup + 1);
}

/**
 * Cached multi-output indicator: every output is stored under `${prefix}.${name}:${suffix}`.
 * Returns the cached arrays when all are present, otherwise computes once and stores all.
 */
export function cachedGroup<K extends string>(
  ctx: StrategyContext,
  prefix: string,
  suffix: string,
  names: readonly K[],
  compute: () => Record<K, Float64Array>,
): Record<K, Float64Array> {
  const key = (name: K): string => `${prefix}.${name}:${suffix}`;
  const cache = ctx.cache;
  if (cache) {
    const hits: Partial<Record<K, Float64Array>> = {};
    let all = true;
    for (const name of names) {
      const v = cache.get(key(name));
      if (!v) {
        all = false;
        break;
      }
      hits[name] = v;
    }
    if (all) return hits as Record<K, Float64Array>;
  }
  const out = compute();
  if (cache) for (const name of names) cache.set(key(name), out[name]);
  return out;
}

export function finishSignals(buf: SignalBuffers, warmup: number, extra?: Pick<Signals, 'size' | 'confidence'>): Signals {
  return { entry: buf.entry, exit: buf.exit, warmup, ...extra };
}

export { directionParam } from './params.js';
