/**
 * The truncated normal distribution on [low, high] with location mu and scale sigma:
 * inverse-CDF sampling and log density, computed in log space so that kernels far from a
 * bound (|a|, |b| up to ~100 σ in TPE) stay exact. Same method as Optuna's `_truncnorm.py`
 * (itself from SciPy): work in the left tail, where Φ has no cancellation.
 */
import { logGaussMass, logNdtr, logNormPdf, ndtriExp } from '../../math/normal.js';

function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  const m = Math.max(x, y);
  return m + Math.log1p(Math.exp(-Math.abs(x - y)));
}

/** Quantile of the standard normal truncated to [a, b] at probability q ∈ [0, 1]. */
export function truncnormPpfStd(q: number, a: number, b: number): number {
  if (a === b) return a;
  if (q <= 0) return a;
  if (q >= 1) return b;
  const logMass = logGaussMass(a, b);
  let x: number;
  if (a < 0) {
    x = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logMass));
  } else {
    x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logMass));
  }
  return Math.min(b, Math.max(a, x));
}

/** Quantile of N(mu, sigma²) truncated to [low, high]. */
export function truncnormPpf(q: number, mu: number, sigma: number, low: number, high: number): number {
  const x = mu + sigma * truncnormPpfStd(q, (low - mu) / sigma, (high - mu) / sigma);
  return Math.min(high, Math.max(low, x));
}

/** log density of N(mu, sigma²) truncated to [low, high] at x (−Infinity outside). */
export function truncnormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return logNormPdf(z) - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

/** log of the truncated normal's mass in [lo, hi] ⊂ [low, high] (for a discrete cell). */
export function truncnormLogMass(lo: number, hi: number, mu: number, sigma: number, low: number, high: number): number {
  const l = Math.max(lo, low);
  const h = Math.min(hi, high);
  if (h <= l) return -Infinity;
  return logGaussMass((l - mu) / sigma, (h - mu) / sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}
