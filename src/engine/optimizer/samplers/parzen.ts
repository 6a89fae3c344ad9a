/**
 * Parzen estimator of TPE (Optuna 3.1's `_ParzenEstimator`): a mixture with one kernel per
 * observation plus a prior kernel, a product over parameters of truncated Gaussians
 * (numeric, in the internal space of `space.ts`) or categorical tables.
 *
 * - weights: the observation weights (oldest ramped down when m ≥ 25) and `prior_weight`
 *   for the prior kernel, normalised;
 * - bandwidths per dimension as in `bandwidth.ts`; the prior kernel: centre mid-range, σ = range;
 * - discrete parameters (step q): a kernel's probability of a grid value is its mass over the
 *   value's cell [x − q/2, x + q/2] (in log space for log ints);
 * - categorical: observation i gives p(c) ∝ prior_weight/(m+1) + [c = cᵢ], the prior is uniform.
 */
import type { Rng } from '../../random.js';
import { fromInternal, toInternal, type Dim } from '../space.js';
import { kernelSigmas } from './bandwidth.js';
import { logGaussMass, ndtr } from './normal.js';
import { truncnormPpf } from './truncnorm.js';

export interface ParzenOptions {
  readonly multivariate: boolean;
  readonly prior_weight: number;
  readonly consider_magic_clip: boolean;
  readonly consider_endpoints: boolean;
  /**
   * Bandwidth rule: 'auto' = Optuna's (neighbour gaps when univariate, 0.2·m^(−1/(d+4))·range
   * when multivariate); 'gaps' / 'fixed' force one of the two; 'scott' = 1.059·min(σ̂, IQR/1.34)·m^(−1/5).
   */
  readonly bandwidth: 'auto' | 'gaps' | 'fixed' | 'scott';
  /** Magic clip: σ ≥ range · max(min_bandwidth_factor, (m + 2)^(−magic_clip_exponent)); Optuna: 1 and 0.01. */
  readonly magic_clip_exponent: number;
  readonly min_bandwidth_factor: number;
  readonly weights: 'old-decay' | 'uniform';
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

/** log of the standard normal mass in [a, b], with fast paths for the common cases. */
function logCellMass(a: number, b: number): number {
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
function logMassInside(a: number, b: number): number {
  if (a < -8.3 && b > 8.3) return 0;
  return logGaussMass(a, b);
}

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Mixture terms this far below the largest add less than an ulp to the sum: skipped. */
const NEGLIGIBLE = -50;
/** Kernels per block in the sorted one-dimensional evaluation. */
const BLOCK = 16;

interface NumericDim {
  readonly dim: Dim;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly invSigmas: Float64Array;
  readonly logMassIn: Float64Array;
}

interface CategoricalDim {
  readonly dim: Dim;
  /** Row-major K × C. */
  readonly probs: Float64Array;
  readonly logProbs: Float64Array;
}

export class ParzenEstimator {
  /** Number of kernels (observations + prior). */
  readonly size: number;
  private readonly cumWeights: Float64Array;
  /** log weight − Σ log-normalisers of the continuous dimensions, per kernel. */
  private readonly base: Float64Array;
  private readonly dims: readonly Dim[];
  /** Per dimension (declaration order) its kernels. */
  private readonly perDim: readonly (NumericDim | CategoricalDim)[];
  /** Continuous dimensions, interleaved per kernel: [k · nc + j]. */
  private readonly contIdx: readonly number[];
  private readonly contMu: Float64Array;
  private readonly contInv: Float64Array;
  private readonly discrete: readonly NumericDim[];
  private readonly categorical: readonly CategoricalDim[];
  private readonly scratch: Float64Array;
  // Per-point scratch used by term().
  private readonly px: Float64Array;
  private readonly cellLo: Float64Array;
  private readonly cellHi: Float64Array;
  private readonly logWidth: Float64Array;
  private readonly catIdx: Int32Array;
  /**
   * One continuous dimension with many kernels: the observation kernels sorted by centre, in
   * blocks with their centre range, largest bandwidth and largest log weight term, so that a
   * block too far from a point to matter is skipped whole (see logPdf1d).
   */
  private readonly sorted1d: {
    readonly mu: Float64Array;
    readonly inv: Float64Array;
    readonly base: Float64Array;
    readonly blockLo: Float64Array;
    readonly blockHi: Float64Array;
    readonly blockSigma: Float64Array;
    readonly blockBase: Float64Array;
  } | null;

  /**
   * @param obs one Float64Array per dimension (internal values, chronological order)
   * @param weights observation weights (without the prior), or undefined for the default weights
   * @param orders per dimension, a stable argsort of obs[d] when already known (else computed)
   */
  constructor(dims: readonly Dim[], obs: readonly Float64Array[], opts: ParzenOptions, weights?: Float64Array, orders?: readonly (Int32Array | undefined)[]) {
    const m = obs.length > 0 ? obs[0].length : 0;
    const K = m + 1;
    this.size = K;
    this.dims = dims;
    const w = new Float64Array(K);
    w.set(weights ?? defaultWeights(m, opts.weights));
    w[m] = m === 0 ? 1 : opts.prior_weight;
    let total = 0;
    for (let k = 0; k < K; k++) total += w[k];
    this.cumWeights = new Float64Array(K);
    this.base = new Float64Array(K);
    let c = 0;
    for (let k = 0; k < K; k++) {
      c += w[k] / total;
      this.cumWeights[k] = c;
      this.base[k] = Math.log(w[k] / total);
    }
    const rule = opts.bandwidth === 'auto' ? (opts.multivariate ? 'fixed' : 'gaps') : opts.bandwidth;
    const bw = { ...opts, rule } as const;
    this.perDim = dims.map((dim, d) => {
      if (dim.kind === 'categorical') return buildCategorical(obs[d], dim, opts.prior_weight);
      const sig = kernelSigmas(obs[d], dim.lowI, dim.highI, dims.length, bw, orders?.[d]);
      const mus = new Float64Array(K);
      const sigmas = new Float64Array(K);
      mus.set(obs[d]);
      sigmas.set(sig);
      mus[m] = 0.5 * (dim.lowI + dim.highI);
      sigmas[m] = dim.highI > dim.lowI ? dim.highI - dim.lowI : 1;
      const invSigmas = new Float64Array(K);
      const logMassIn = new Float64Array(K);
      for (let k = 0; k < K; k++) {
        invSigmas[k] = 1 / sigmas[k];
        logMassIn[k] = logMassInside((dim.lowI - mus[k]) * invSigmas[k], (dim.highI - mus[k]) * invSigmas[k]);
      }
      return { dim, mus, sigmas, invSigmas, logMassIn };
    });
    const contIdx: number[] = [];
    const discrete: NumericDim[] = [];
    const categorical: CategoricalDim[] = [];
    dims.forEach((dim, d) => {
      const p = this.perDim[d];
      if (dim.kind === 'categorical') categorical.push(p as CategoricalDim);
      else if (dim.highI === dim.lowI) return;
      else if (dim.step === null) contIdx.push(d);
      else discrete.push(p as NumericDim);
    });
    const nc = contIdx.length;
    this.contIdx = contIdx;
    this.contMu = new Float64Array(K * nc);
    this.contInv = new Float64Array(K * nc);
    contIdx.forEach((d, j) => {
      const p = this.perDim[d] as NumericDim;
      for (let k = 0; k < K; k++) {
        this.contMu[k * nc + j] = p.mus[k];
        this.contInv[k * nc + j] = p.invSigmas[k];
        this.base[k] -= Math.log(p.sigmas[k]) + p.logMassIn[k] + LN_SQRT_2PI;
      }
    });
    this.discrete = discrete;
    this.categorical = categorical;
    this.scratch = new Float64Array(K);
    this.px = new Float64Array(nc);
    this.cellLo = new Float64Array(discrete.length);
    this.cellHi = new Float64Array(discrete.length);
    this.logWidth = new Float64Array(discrete.length);
    this.catIdx = new Int32Array(categorical.length);
    const order = orders?.[0];
    if (dims.length === 1 && nc === 1 && m > 4 * BLOCK && order !== undefined) {
      const p0 = this.perDim[0] as NumericDim;
      const nb = Math.ceil(m / BLOCK);
      const t = {
        mu: new Float64Array(m),
        inv: new Float64Array(m),
        base: new Float64Array(m),
        blockLo: new Float64Array(nb),
        blockHi: new Float64Array(nb),
        blockSigma: new Float64Array(nb),
        blockBase: new Float64Array(nb).fill(-Infinity),
      };
      for (let r = 0; r < m; r++) {
        const k = order[r];
        t.mu[r] = p0.mus[k];
        t.inv[r] = p0.invSigmas[k];
        t.base[r] = this.base[k];
        const b = (r / BLOCK) | 0;
        if (r % BLOCK === 0) t.blockLo[b] = p0.mus[k];
        t.blockHi[b] = p0.mus[k];
        t.blockSigma[b] = Math.max(t.blockSigma[b], p0.sigmas[k]);
        t.blockBase[b] = Math.max(t.blockBase[b], this.base[k]);
      }
      this.sorted1d = t;
    } else this.sorted1d = null;
  }

  /**
   * log density at x of a one-dimensional continuous mixture with sorted kernels: blocks
   * are visited outward from x; a block whose best possible term (largest weight term,
   * nearest centre, widest bandwidth) is NEGLIGIBLE below the running maximum is skipped.
   * Exact, like the full sum: skipped kernels would have been dropped from it anyway.
   */
  private logPdf1d(x: number): number {
    const t = this.sorted1d as NonNullable<ParzenEstimator['sorted1d']>;
    const s = this.scratch;
    const prior = this.size - 1;
    const zp = (x - this.contMu[prior]) * this.contInv[prior];
    let mx = this.base[prior] - 0.5 * zp * zp;
    s[0] = mx;
    let nv = 1;
    const nb = t.blockLo.length;
    const m = t.mu.length;
    let lo = 0;
    let hi = nb - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t.blockHi[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    const start = lo;
    for (let step = 0; step < 2 * nb; step++) {
      const b = step % 2 === 0 ? start + step / 2 : start - (step + 1) / 2;
      if (b < 0 || b >= nb) continue;
      const gap = x < t.blockLo[b] ? t.blockLo[b] - x : x > t.blockHi[b] ? x - t.blockHi[b] : 0;
      const zb = gap / t.blockSigma[b];
      if (t.blockBase[b] - 0.5 * zb * zb <= mx + NEGLIGIBLE) continue;
      const end = Math.min(m, (b + 1) * BLOCK);
      for (let r = b * BLOCK; r < end; r++) {
        const z = (x - t.mu[r]) * t.inv[r];
        const v = t.base[r] - 0.5 * z * z;
        s[nv++] = v;
        if (v > mx) mx = v;
      }
    }
    let sum = 0;
    for (let r = 0; r < nv; r++) {
      const d = s[r] - mx;
      if (d > NEGLIGIBLE) sum += Math.exp(d);
    }
    return mx + Math.log(sum);
  }

  private pickKernel(u: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumWeights[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Draws n points (one kernel per point, all dimensions from it); internal values, snapped to grids. */
  sample(rng: Rng, n: number): Float64Array[] {
    const out = this.dims.map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const k = this.pickKernel(rng.next());
      for (let d = 0; d < this.dims.length; d++) {
        const dim = this.dims[d];
        const p = this.perDim[d];
        if (dim.kind === 'categorical') {
          const C = dim.size;
          const probs = (p as CategoricalDim).probs;
          const u = rng.next();
          let acc = 0;
          let c = 0;
          for (; c < C - 1; c++) {
            acc += probs[k * C + c];
            if (u < acc) break;
          }
          out[d][i] = c;
        } else {
          const np = p as NumericDim;
          const x = dim.highI > dim.lowI ? truncnormPpf(rng.next(), np.mus[k], np.sigmas[k], dim.lowI, dim.highI) : dim.lowI;
          out[d][i] = dim.step === null ? x : toInternal(dim, fromInternal(dim, x));
        }
      }
    }
    return out;
  }

  /**
   * Kernel k's log term (log weight + log density) at the current point (in px, cellLo/Hi,
   * catIdx), or −Infinity as soon as it is known to be <= cut. Exact: a term <= cut is
   * NEGLIGIBLE below the running maximum, hence dropped from the log-sum-exp anyway.
   */
  private term(k: number, cut: number): number {
    const nc = this.px.length;
    const mu = this.contMu;
    const inv = this.contInv;
    const o = k * nc;
    const floor = 2 * (this.base[k] - cut);
    let q = 0;
    for (let j = 0; j < nc && q <= floor; j++) {
      const z = (this.px[j] - mu[o + j]) * inv[o + j];
      q += z * z;
    }
    let t = this.base[k] - 0.5 * q;
    if (t <= cut) return -Infinity;
    const cats = this.categorical;
    for (let j = 0; j < cats.length; j++) t += cats[j].logProbs[k * cats[j].dim.size + this.catIdx[j]];
    const disc = this.discrete;
    if (t <= cut || disc.length === 0) return t <= cut ? -Infinity : t;
    // Upper bound of each cell's log mass: cell width · the kernel's peak density over the cell.
    let ub = t;
    for (let j = 0; j < disc.length; j++) {
      const p = disc[j];
      const m = p.mus[k];
      const gap = m < this.cellLo[j] ? this.cellLo[j] - m : m > this.cellHi[j] ? m - this.cellHi[j] : 0;
      const zNear = gap * p.invSigmas[k];
      ub += Math.min(0, this.logWidth[j] + Math.log(p.invSigmas[k]) - 0.5 * zNear * zNear) - p.logMassIn[k];
    }
    if (ub <= cut) return -Infinity;
    for (let j = 0; j < disc.length; j++) {
      const p = disc[j];
      t += logCellMass((this.cellLo[j] - p.mus[k]) * p.invSigmas[k], (this.cellHi[j] - p.mus[k]) * p.invSigmas[k]) - p.logMassIn[k];
    }
    return t;
  }

  /** log density of the mixture at each of the n points (given per dimension, internal values). */
  logPdf(points: readonly Float64Array[], n: number): Float64Array {
    const K = this.size;
    const s = this.scratch;
    const out = new Float64Array(n);
    const disc = this.discrete;
    const cats = this.categorical;
    const fast = disc.length === 0 && cats.length === 0;
    for (let i = 0; i < n; i++) {
      if (this.sorted1d !== null) {
        out[i] = this.logPdf1d(points[0][i]);
        continue;
      }
      for (let j = 0; j < this.px.length; j++) this.px[j] = points[this.contIdx[j]][i];
      for (let j = 0; j < disc.length; j++) {
        const [lo, hi] = cellOf(disc[j].dim, points[this.dims.indexOf(disc[j].dim)][i]);
        this.cellLo[j] = lo;
        this.cellHi[j] = hi;
        this.logWidth[j] = Math.log(hi - lo) - LN_SQRT_2PI;
      }
      for (let j = 0; j < cats.length; j++) this.catIdx[j] = points[this.dims.indexOf(cats[j].dim)][i];
      let mx = -Infinity;
      let nv = 0;
      if (fast) {
        // All dimensions continuous: one tight loop (the common case and the hot path).
        const px = this.px;
        const nc = px.length;
        const base = this.base;
        const mu = this.contMu;
        const inv = this.contInv;
        if (nc === 1) {
          const x0 = px[0];
          for (let k = 0; k < K; k++) {
            const z = (x0 - mu[k]) * inv[k];
            const t = base[k] - 0.5 * z * z;
            s[k] = t;
            if (t > mx) mx = t;
          }
          nv = K;
        } else for (let k = 0, o = 0; k < K; k++, o += nc) {
          const floor = 2 * (base[k] - mx - NEGLIGIBLE);
          let q = 0;
          for (let j = 0; j < nc && q <= floor; j++) {
            const z = (px[j] - mu[o + j]) * inv[o + j];
            q += z * z;
          }
          const t = base[k] - 0.5 * q;
          s[nv++] = t;
          if (t > mx) mx = t;
        }
      } else {
        for (let k = 0; k < K; k++) {
          const t = this.term(k, mx + NEGLIGIBLE);
          s[nv++] = t;
          if (t > mx) mx = t;
        }
      }
      if (mx === -Infinity) {
        out[i] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let r = 0; r < nv; r++) {
        const t = s[r] - mx;
        if (t > NEGLIGIBLE) sum += Math.exp(t);
      }
      out[i] = mx + Math.log(sum);
    }
    return out;
  }
}

/** The grid cell of a discrete value in internal coordinates, clipped to the bounds. */
function cellOf(dim: Dim, xi: number): [number, number] {
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

function buildCategorical(obs: Float64Array, dim: Dim, priorWeight: number): CategoricalDim {
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
