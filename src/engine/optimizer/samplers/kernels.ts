/**
 * Kernel-level pieces of the Parzen estimator: Optuna's observation weights, the log mass of
 * a (truncated) Gaussian kernel over a grid cell and inside the bounds, and categorical
 * kernel tables.
 */
import { fromInternal, type Dim } from '../space.js';
import { logGaussMass, ndtr } from '../../math/normal.js';
import type { KernelCache } from './kernel-cache.js';
import type { ParzenOptions } from './mixture.js';

export const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/**
 * Mixture terms this far below the largest are skipped. The running log-sum-exp keeps
 * Σ exp(term − max) ≥ 1, and exp(−37) ≈ 8.5e-17 is under half an ulp of 1 (2⁻⁵³ ≈ 1.1e-16):
 * adding such a term leaves the sum unchanged to the bit, so skipping it is exact.
 */
export const NEGLIGIBLE = -37;

/** A numeric dimension's kernels: centres and bandwidths (internal space), the prior last. */
export interface NumericDim {
  readonly dim: Dim;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
}

/** A discrete (stepped) dimension's kernels, with what its cell masses need. */
export interface DiscreteDim extends NumericDim {
  readonly invSigmas: Float64Array;
  /** log mass of each kernel inside the bounds. */
  readonly logMassIn: Float64Array;
  /** −log σ per kernel. */
  readonly logInv: Float64Array;
}

export interface CategoricalDim {
  readonly dim: Dim;
  /** Row-major K × C. */
  readonly probs: Float64Array;
  readonly logProbs: Float64Array;
}

/** Optuna's default weights: all 1 below 25 observations, else the oldest m − 25 ramp from 1/m to 1. */
export function defaultWeights(m: number, rule: 'old-decay' | 'uniform' = 'old-decay'): Float64Array {
  const w = new Float64Array(m).fill(1);
  if (m >= 25 && rule === 'old-decay') {
    const r = m - 25;
    for (let i = 0; i < r; i++) w[i] = r === 1 ? 1 / m : 1 / m + ((1 - 1 / m) * i) / (r - 1);
  }
  return w;
}

/** A Parzen mixture's kernel weights, normalised. */
export interface MixtureWeights {
  /** Cumulative normalised weights (kernel draw). */
  readonly cum: Float64Array;
  /** log of the normalised weights. */
  readonly logW: Float64Array;
}

/**
 * The last few default-weight mixtures: TPE's univariate groups build a good and a bad
 * estimator per parameter, the same two sizes again and again within one proposal.
 */
const recentDefaults: { key: string; w: MixtureWeights }[] = [];

/** Normalised weights of the m observation kernels plus the prior kernel (last). */
export function mixtureWeights(m: number, opts: Pick<ParzenOptions, 'weights' | 'prior_weight'>, weights?: Float64Array): MixtureWeights {
  const key = `${m}:${opts.weights}:${opts.prior_weight}`;
  if (!weights) {
    const hit = recentDefaults.find((r) => r.key === key);
    if (hit) return hit.w;
  }
  const K = m + 1;
  const w = new Float64Array(K);
  w.set(weights ?? defaultWeights(m, opts.weights));
  w[m] = m === 0 ? 1 : opts.prior_weight;
  let total = 0;
  for (let k = 0; k < K; k++) total += w[k];
  const cum = new Float64Array(K);
  const logW = new Float64Array(K);
  let c = 0;
  for (let k = 0; k < K; k++) {
    c += w[k] / total;
    cum[k] = c;
    logW[k] = Math.log(w[k] / total);
  }
  const out = { cum, logW };
  if (!weights) {
    recentDefaults.unshift({ key, w: out });
    recentDefaults.length = Math.min(recentDefaults.length, 4);
  }
  return out;
}

/** log of the standard normal mass in [a, b], with fast paths for the common cases. */
export function logCellMass(a: number, b: number): number {
  if (a > 0) {
    const t = -a;
    a = -b;
    b = t;
  }
  if (b <= 0 && a > -30) {
    const d = ndtr(b) - ndtr(a);
    if (d > 1e-200) return Math.log(d);
  }
  return logGaussMass(a, b);
}

/** log mass of a kernel inside the bounds: 0 to double precision when both bounds are > 8.3 σ away. */
export function logMassInside(a: number, b: number): number {
  const farLow = a < -8.3;
  const farHigh = b > 8.3;
  if (farLow && farHigh) return 0;
  // One bound far away: only the other tail matters (Φ(−8.3) < 6e-17).
  if (farLow && b > 0) return Math.log1p(-ndtr(-b));
  if (farHigh && a < 0) return Math.log1p(-ndtr(a));
  return logGaussMass(a, b);
}

/**
 * Per kernel of a numeric dimension: 1/σ, the log mass inside the bounds and −log σ, into the
 * three arrays (many bandwidths equal the clip value: the last logarithm is reused). With
 * `nums` (the observations' trial numbers) and `cache`, a kernel near a bound has its mass
 * looked up by trial (kernel-cache.ts).
 */
export function kernelNormalisers(p: NumericDim, inv: Float64Array, logMassIn: Float64Array, logInv: Float64Array, nums?: Int32Array, cache?: KernelCache): void {
  const { dim, mus, sigmas } = p;
  const m = mus.length - 1; // the prior (last) has no trial number
  let lastSigma = NaN;
  let lastLog = NaN;
  for (let k = 0; k <= m; k++) {
    const s = sigmas[k];
    const i = 1 / s;
    inv[k] = i;
    if (s !== lastSigma) {
      lastSigma = s;
      lastLog = -Math.log(s);
    }
    logInv[k] = lastLog;
    const a = (dim.lowI - mus[k]) * i;
    const b = (dim.highI - mus[k]) * i;
    if (a < -8.3 && b > 8.3) {
      logMassIn[k] = 0; // as logMassInside
      continue;
    }
    const c = nums !== undefined && k < m ? cache : undefined;
    const known = c ? c.logMassIn((nums as Int32Array)[k], mus[k], s) : NaN;
    if (!Number.isNaN(known)) {
      logMassIn[k] = known;
      continue;
    }
    logMassIn[k] = logMassInside(a, b);
    c?.put((nums as Int32Array)[k], mus[k], s, logMassIn[k]);
  }
}

/** The grid cell of a discrete value in internal coordinates, clipped to the bounds. */
export function cellOf(dim: Dim, xi: number): [number, number] {
  const q = dim.step as number;
  const v = fromInternal(dim, xi) as number;
  let lo = v - q / 2;
  let hi = v + q / 2;
  if (dim.log) {
    lo = Math.log(lo);
    hi = Math.log(hi);
  }
  return [Math.max(lo, dim.lowI), Math.min(hi, dim.highI)];
}

export function buildCategorical(obs: Float64Array, dim: Dim, priorWeight: number): CategoricalDim {
  const m = obs.length;
  const C = dim.size;
  const K = m + 1;
  const probs = new Float64Array(K * C).fill(priorWeight / K);
  for (let i = 0; i < m; i++) probs[i * C + obs[i]] += 1;
  const logProbs = new Float64Array(K * C);
  for (let k = 0; k < K; k++) {
    let t = 0;
    for (let c = 0; c < C; c++) t += probs[k * C + c];
    for (let c = 0; c < C; c++) {
      probs[k * C + c] = t > 0 ? probs[k * C + c] / t : 1 / C;
      logProbs[k * C + c] = Math.log(probs[k * C + c]);
    }
  }
  return { dim, probs, logProbs };
}
