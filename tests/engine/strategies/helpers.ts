/** Test helpers for strategies: hand-made candles, seeded random walks, dotted-path access. */
import type { Candles } from '../../../src/engine/data/candles.js';
import type { ParamSpec, SearchSpace } from '../../../src/engine/optimizer/space.types.js';
import { createRng } from '../../../src/engine/random.js';
import type { IndicatorCache } from '../../../src/engine/strategies/types.js';

const HOUR = 3_600_000;

/** Candles from closes (open = previous close, high/low = max/min(open, close) unless given). */
export function candlesFrom(close: readonly number[], hl?: { high: readonly number[]; low: readonly number[] }): Candles {
  const n = close.length;
  const c = Float64Array.from(close);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    open[i] = i === 0 ? c[0] : c[i - 1];
    high[i] = hl ? hl.high[i] : Math.max(open[i], c[i]);
    low[i] = hl ? hl.low[i] : Math.min(open[i], c[i]);
  }
  const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * HOUR);
  return { symbol: 'TEST', timeframe: '1h', time, open, high, low, close: c, volume: new Float64Array(n).fill(1) };
}

/** Seeded geometric random walk with volatility regimes and consistent OHLC. */
export function randomWalk(seed: number, n: number): Candles {
  const rng = createRng(seed);
  const close = new Array<number>(n);
  const high = new Array<number>(n);
  const low = new Array<number>(n);
  let p = 100;
  let drift = 0;
  let vol = 0.01;
  for (let i = 0; i < n; i++) {
    if (i % 60 === 0) {
      drift = (rng.next() - 0.5) * 0.006;
      vol = 0.004 + rng.next() * 0.02;
    }
    const o = p;
    p = o * Math.exp(drift + vol * rng.normal());
    close[i] = p;
    high[i] = Math.max(o, p) * (1 + Math.abs(rng.normal()) * vol * 0.5);
    low[i] = Math.min(o, p) * (1 - Math.abs(rng.normal()) * vol * 0.5);
  }
  return candlesFrom(close, { high, low });
}

export function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Deep copy of `obj` with the dotted `path` set to `value` (the path must exist). */
export function withPath(obj: unknown, path: string, value: unknown): unknown {
  const copy: unknown = structuredClone(obj);
  const segs = path.split('.');
  let cur = copy;
  for (let i = 0; i < segs.length - 1; i++) cur = (cur as Record<string, unknown>)[segs[i]];
  (cur as Record<string, unknown>)[segs[segs.length - 1]] = value;
  return copy;
}

function gridValue(spec: Exclude<ParamSpec, { type: 'categorical' }>, u: number): number {
  const raw = spec.low + u * (spec.high - spec.low);
  const step = spec.step ?? (spec.type === 'int' ? 1 : undefined);
  if (step === undefined) return raw;
  const k = Math.round((raw - spec.low) / step);
  const v = spec.low + Math.min(k, Math.floor((spec.high - spec.low) / step + 1e-9)) * step;
  return spec.type === 'int' ? Math.round(v) : v;
}

/** The value of a spec at position u ∈ [0, 1] of its range (categorical: the choice at that position). */
export function specValue(spec: ParamSpec, u: number): string | number | boolean | null {
  if (spec.type === 'categorical') return spec.choices[Math.min(spec.choices.length - 1, Math.floor(u * spec.choices.length))];
  return gridValue(spec, u);
}

/** Params built from `base` with every key of the space set to its value at position u(key). */
export function pointOf(base: unknown, space: SearchSpace, u: (key: string, i: number) => number): unknown {
  let p = base;
  Object.entries(space).forEach(([key, spec], i) => {
    p = withPath(p, key, specValue(spec, u(key, i)));
  });
  return p;
}

/** An IndicatorCache that counts hits and sets. */
export class SpyCache implements IndicatorCache {
  readonly map = new Map<string, Float64Array>();
  hits = 0;
  misses = 0;
  sets = 0;
  get(key: string): Float64Array | undefined {
    const v = this.map.get(key);
    if (v) this.hits++;
    else this.misses++;
    return v;
  }
  set(key: string, value: Float64Array): void {
    this.sets++;
    this.map.set(key, value);
  }
}

export function firstValidIndex(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i])) return i;
  return a.length;
}
