import type { z } from 'zod';
import type { Scratch } from '../backtest/scratch.js';
import type { Candles } from '../data/candles.js';
import type { Signals } from '../backtest/types.js';
import type { SearchSpace } from '../optimizer/space.types.js';

/**
 * Memo of indicator arrays for one candle series, shared across trials of a study so
 * that e.g. SMA(20) is computed once. Keys name the indicator and its inputs
 * (`sma:close:20`). Values must never be mutated by a consumer.
 */
export interface IndicatorCache {
  get(key: string): Float64Array | undefined;
  set(key: string, value: Float64Array): void;
}

export interface StrategyContext {
  readonly cache?: IndicatorCache;
  /** Reusable per-bar buffers when the caller keeps no per-bar array of the run (backtest/scratch.ts). */
  readonly scratch?: Scratch;
}

/**
 * A strategy: a zod params schema (defaults + descriptions), a default search space and a
 * pure signal function that, for every bar t, decides from bars <= t only.
 */
export interface StrategyDef<P = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  readonly defaultSpace: SearchSpace;
  /** Bars needed before the first decision (informational; signals.warmup is authoritative). */
  warmup(params: P): number;
  signals(candles: Candles, params: P, ctx: StrategyContext): Signals;
}

/** Simple Map-backed cache. */
export class MapIndicatorCache implements IndicatorCache {
  private readonly map = new Map<string, Float64Array>();
  get(key: string): Float64Array | undefined {
    return this.map.get(key);
  }
  set(key: string, value: Float64Array): void {
    this.map.set(key, value);
  }
  get size(): number {
    return this.map.size;
  }
}

/** Returns cache[key] or computes, stores and returns it. */
export function cached(ctx: StrategyContext, key: string, compute: () => Float64Array): Float64Array {
  const hit = ctx.cache?.get(key);
  if (hit) return hit;
  const v = compute();
  ctx.cache?.set(key, v);
  return v;
}
