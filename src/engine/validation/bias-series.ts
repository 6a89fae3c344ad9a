/**
 * Candle series altered after a cut bar, for the look-ahead check (bias.ts). Bars 0..cut are
 * kept bit for bit; every bar after `cut` is replaced, so a strategy that peeks past its
 * decision bar sees different inputs there:
 * - `mirrored`: prices after the cut reflected in log space about close[cut]
 *   (x' = close[cut]² / x, high and low swapped), volumes in reverse order. A rise after the
 *   cut becomes a fall of the same size, so a strategy that reads the sign of a future move
 *   always sees the opposite sign.
 * - `random_walk`: an independent seeded continuation from close[cut]: Gaussian log-returns
 *   with the volatility of the last (up to) 500 bars before the cut, wicks up to half that
 *   volatility, volumes the volume at the cut times e^u, u uniform in [−0.5, 0.5].
 * Times are never changed (still strictly ascending), and every altered bar keeps
 * high ≥ max(open, close) ≥ min(open, close) ≥ low ≥ 0. Series with a zero price at or
 * after the cut are mirrored and walked additively (x' = 2·close[cut] − x) instead, then
 * lifted by a constant where that would go below zero.
 */
import type { Candles } from '../data/candles.js';
import { createRng } from '../random.js';

export const ALTERATIONS = ['mirrored', 'random_walk'] as const;
export type Alteration = (typeof ALTERATIONS)[number];

type Cols = { time: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array };

function copyOf(c: Candles): Cols {
  return { time: c.time, open: c.open.slice(), high: c.high.slice(), low: c.low.slice(), close: c.close.slice(), volume: c.volume.slice() };
}

function withCols(c: Candles, cols: Cols): Candles {
  return { symbol: c.symbol, timeframe: c.timeframe, ...cols };
}

/** Adds one constant to every price after `cut` when the lowest low there is negative. */
function liftNonNegative(out: Cols, cut: number): void {
  let min = 0;
  for (let t = cut + 1; t < out.low.length; t++) min = Math.min(min, out.low[t]);
  if (min >= 0) return;
  for (let t = cut + 1; t < out.low.length; t++) {
    out.open[t] -= min;
    out.high[t] -= min;
    out.low[t] -= min;
    out.close[t] -= min;
  }
}

/** Bars after `cut` reflected about close[cut] (see the file comment). */
export function mirrorAfter(c: Candles, cut: number): Candles {
  const n = c.time.length;
  const out = copyOf(c);
  const pivot = c.close[cut];
  let positive = pivot > 0;
  for (let t = cut + 1; t < n && positive; t++) positive = c.low[t] > 0;
  const reflect = positive ? (x: number): number => (pivot * pivot) / x : (x: number): number => 2 * pivot - x;
  for (let t = cut + 1; t < n; t++) {
    out.open[t] = reflect(c.open[t]);
    out.close[t] = reflect(c.close[t]);
    // the reflection reverses order: the old low becomes the new high
    out.high[t] = reflect(c.low[t]);
    out.low[t] = reflect(c.high[t]);
    out.volume[t] = c.volume[n - (t - cut)];
  }
  if (!positive) liftNonNegative(out, cut);
  return withCols(c, out);
}

/** Standard deviation of close-to-close log returns over the last `window` bars up to `cut` (0.01 if undefined). */
export function recentVolatility(c: Candles, cut: number, window = 500): number {
  const from = Math.max(1, cut - window + 1);
  let s = 0;
  let s2 = 0;
  let m = 0;
  for (let t = from; t <= cut; t++) {
    const a = c.close[t - 1];
    const b = c.close[t];
    if (!(a > 0 && b > 0)) continue;
    const r = Math.log(b / a);
    s += r;
    s2 += r * r;
    m++;
  }
  if (m < 2) return 0.01;
  const v = (s2 - (s * s) / m) / (m - 1);
  return v > 0 ? Math.sqrt(v) : 0.01;
}

/** Bars after `cut` replaced by a seeded random walk continuing from close[cut]. */
export function randomWalkAfter(c: Candles, cut: number, seed: number): Candles {
  const n = c.time.length;
  const out = copyOf(c);
  const rng = createRng(seed);
  const sigma = recentVolatility(c, cut);
  const additive = !(c.close[cut] > 0);
  const scale = additive ? Math.max(1, Math.abs(c.close[cut])) : 1;
  let prev = c.close[cut];
  const vol0 = c.volume[cut] > 0 ? c.volume[cut] : 1;
  for (let t = cut + 1; t < n; t++) {
    const o = prev;
    const step = sigma * rng.normal();
    const cl = additive ? o + scale * step : o * Math.exp(step);
    // wicks and volume from uniforms: one Gaussian a bar is the costly part
    const up = rng.next() * sigma * 0.5;
    const down = rng.next() * sigma * 0.5;
    out.open[t] = o;
    out.close[t] = cl;
    out.high[t] = additive ? Math.max(o, cl) + scale * up : Math.max(o, cl) * Math.exp(up);
    out.low[t] = additive ? Math.min(o, cl) - scale * down : Math.min(o, cl) * Math.exp(-down);
    out.volume[t] = vol0 * Math.exp(rng.next() - 0.5);
    prev = cl;
  }
  if (additive) liftNonNegative(out, cut);
  return withCols(c, out);
}

export function alterAfter(c: Candles, cut: number, how: Alteration, seed: number): Candles {
  if (!Number.isInteger(cut) || cut < 0 || cut >= c.time.length) throw new RangeError(`cut must be a bar index in [0, ${c.time.length - 1}], got ${cut}`);
  return how === 'mirrored' ? mirrorAfter(c, cut) : randomWalkAfter(c, cut, seed);
}

/**
 * Every bar's prices and volume times 1 + sign·rel·u_t, with u_t uniform in [−1, 1] from
 * `seed` (the same u_t for both signs, so the pair moves each bar in opposite directions).
 * One factor per bar keeps high ≥ open, close ≥ low. The warm-up check uses the pair to find
 * near-ties: decisions that a relative input change of `rel` flips.
 */
export function perturb(c: Candles, rel: number, seed: number, sign: 1 | -1): Candles {
  const n = c.time.length;
  const out = copyOf(c);
  const rng = createRng(seed);
  for (let t = 0; t < n; t++) {
    const f = 1 + sign * rel * (2 * rng.next() - 1);
    out.open[t] *= f;
    out.high[t] *= f;
    out.low[t] *= f;
    out.close[t] *= f;
    out.volume[t] *= f;
  }
  return withCols(c, out);
}
