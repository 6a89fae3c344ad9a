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
import {
  buildCategorical,
  cellOf,
  defaultWeights,
  mixtureWeights,
  logCellMass,
  logMassInside,
  LN_SQRT_2PI,
  NEGLIGIBLE,
  type CategoricalDim,
  type NumericDim,
} from './kernels.js';
import { argsortStable } from './bandwidth.js';
import { BLOCK, buildBlocks, type KernelBlocks } from './kernel-blocks.js';
import { truncnormPpf } from './truncnorm.js';

export { defaultWeights };

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
  /**
   * 'exact': each kernel is a normalised truncated Gaussian (a grid cell's mass for a discrete
   * parameter, log ints included). 'optuna-3.1': as Optuna 3.1.0 computes it — a continuous
   * kernel's log density leaves out −log σ (its `_truncnorm.logpdf` drops the scale:
   * optuna#5109, fixed upstream by #5110 in Nov 2023), and a log int is a continuous
   * parameter in ln space (bounds ln(low − ½), ln(high + ½)) evaluated at ln x, not over its cell.
   */
  readonly log_pdf?: 'exact' | 'optuna-3.1';
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
  // Per-point scratch used by term().
  private readonly px: Float64Array;
  private readonly cellLo: Float64Array;
  private readonly cellHi: Float64Array;
  private readonly logWidth: Float64Array;
  private readonly catIdx: Int32Array;
  private memo: Float64Array[][] = [];
  private points: readonly Float64Array[] = [];
  private cellOfCand: Int32Array[] = [];
  /** Many kernels and a continuous dimension: kernels in blocks sorted by centre (kernel-blocks.ts). */
  private readonly blocks: KernelBlocks | null;
  /** The point being evaluated (index into the prepared points). */
  private point = 0;

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
    const mixture = mixtureWeights(m, opts, weights);
    this.cumWeights = mixture.cum;
    this.base = Float64Array.from(mixture.logW);
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
      const logInv = new Float64Array(K);
      let lastSigma = NaN;
      let lastLog = NaN;
      for (let k = 0; k < K; k++) {
        invSigmas[k] = 1 / sigmas[k];
        logMassIn[k] = logMassInside((dim.lowI - mus[k]) * invSigmas[k], (dim.highI - mus[k]) * invSigmas[k]);
        // Many bandwidths equal the clip value: reuse the last logarithm.
        if (sigmas[k] !== lastSigma) {
          lastSigma = sigmas[k];
          lastLog = -Math.log(lastSigma);
        }
        logInv[k] = lastLog;
      }
      return { dim, mus, sigmas, invSigmas, logMassIn, logInv };
    });
    const optuna31 = opts.log_pdf === 'optuna-3.1';
    const contIdx: number[] = [];
    const discrete: NumericDim[] = [];
    const categorical: CategoricalDim[] = [];
    dims.forEach((dim, d) => {
      const p = this.perDim[d];
      if (dim.kind === 'categorical') categorical.push(p as CategoricalDim);
      else if (dim.highI === dim.lowI) return;
      else if (dim.step === null || (optuna31 && dim.log)) contIdx.push(d);
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
        this.base[k] -= (optuna31 ? 0 : -p.logInv[k]) + p.logMassIn[k] + LN_SQRT_2PI;
      }
    });
    this.discrete = discrete;
    this.categorical = categorical;
    this.px = new Float64Array(nc);
    this.cellLo = new Float64Array(discrete.length);
    this.cellHi = new Float64Array(discrete.length);
    this.logWidth = new Float64Array(discrete.length);
    this.catIdx = new Int32Array(categorical.length);
    if (nc > 0 && m > 4 * BLOCK) {
      const d0 = contIdx[0];
      const p0 = this.perDim[d0] as NumericDim;
      const bound = Float64Array.from(this.base);
      for (const dp of discrete) for (let k = 0; k < K; k++) bound[k] -= Math.min(0, dp.logMassIn[k]);
      this.blocks = buildBlocks(orders?.[d0] ?? argsortStable(obs[d0]), p0.mus, p0.sigmas, bound);
    } else this.blocks = null;
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
    const i = this.point;
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
    if (t <= cut) return -Infinity;
    if (disc.length === 0) return t;
    // Cell log masses are memoised per (dimension, cell); those not known yet are first
    // bounded by cell width × the kernel's peak density over the cell.
    let ub = t;
    let unknown = false;
    for (let j = 0; j < disc.length; j++) {
      const known = this.memo[j][this.cellOfCand[j][i]][k];
      if (!Number.isNaN(known)) {
        ub += known;
        continue;
      }
      unknown = true;
      const p = disc[j];
      const m = p.mus[k];
      const gap = m < this.cellLo[j] ? this.cellLo[j] - m : m > this.cellHi[j] ? m - this.cellHi[j] : 0;
      const zNear = gap * p.invSigmas[k];
      ub += Math.min(0, this.logWidth[j] + p.logInv[k] - 0.5 * zNear * zNear) - p.logMassIn[k];
    }
    if (ub <= cut) return -Infinity;
    if (!unknown) return ub;
    for (let j = 0; j < disc.length; j++) {
      const memo = this.memo[j][this.cellOfCand[j][i]];
      let v = memo[k];
      if (Number.isNaN(v)) {
        const p = disc[j];
        v = logCellMass((this.cellLo[j] - p.mus[k]) * p.invSigmas[k], (this.cellHi[j] - p.mus[k]) * p.invSigmas[k]) - p.logMassIn[k];
        memo[k] = v;
      }
      t += v;
    }
    return t;
  }

  /**
   * Prepares n points (per dimension, internal values) for evaluation: the grid cell of each
   * discrete coordinate, with a lazy memo of the kernels' log cell masses per distinct cell
   * (points drawn from a good set repeat cells a lot).
   */
  private prepare(points: readonly Float64Array[], n: number): void {
    const K = this.size;
    this.points = points;
    this.memo = this.discrete.map(() => []);
    this.cellOfCand = this.discrete.map((p, j) => {
      const xs = points[this.dims.indexOf(p.dim)];
      const index = new Map<number, number>();
      return Int32Array.from({ length: n }, (_, i) => {
        const v = fromInternal(p.dim, xs[i]) as number;
        let c = index.get(v);
        if (c === undefined) {
          c = index.size;
          index.set(v, c);
          this.memo[j].push(new Float64Array(K).fill(NaN));
        }
        return c;
      });
    });
  }

  private setPoint(i: number): void {
    const points = this.points;
    this.point = i;
    for (let j = 0; j < this.px.length; j++) this.px[j] = points[this.contIdx[j]][i];
    const disc = this.discrete;
    for (let j = 0; j < disc.length; j++) {
      const [lo, hi] = cellOf(disc[j].dim, points[this.dims.indexOf(disc[j].dim)][i]);
      this.cellLo[j] = lo;
      this.cellHi[j] = hi;
      this.logWidth[j] = Math.log(hi - lo) - LN_SQRT_2PI;
    }
    const cats = this.categorical;
    for (let j = 0; j < cats.length; j++) this.catIdx[j] = points[this.dims.indexOf(cats[j].dim)][i];
  }

  /** Running log-sum-exp of the current point: [max term, Σ exp(term − max)]. */
  private readonly acc = new Float64Array(2);

  /** Adds kernels perm[from..to) (or kernels from..to when perm is null) to the running sum. */
  private accumulate(perm: Int32Array | null, from: number, to: number): void {
    let mx = this.acc[0];
    let sum = this.acc[1];
    const fast = this.discrete.length === 0 && this.categorical.length === 0;
    const nc = this.px.length;
    const base = this.base;
    const mu = this.contMu;
    const inv = this.contInv;
    const px = this.px;
    // one continuous dimension (TPE's univariate groups): no inner loop
    const one = fast && nc === 1;
    const x0 = nc > 0 ? px[0] : 0;
    for (let r = from; r < to; r++) {
      const k = perm === null ? r : perm[r];
      let t: number;
      if (one) {
        const z = (x0 - mu[k]) * inv[k];
        t = base[k] - 0.5 * z * z;
      } else if (fast) {
        const o = k * nc;
        const floor = 2 * (base[k] - mx - NEGLIGIBLE);
        let q = 0;
        for (let j = 0; j < nc && q <= floor; j++) {
          const z = (px[j] - mu[o + j]) * inv[o + j];
          q += z * z;
        }
        t = base[k] - 0.5 * q;
      } else t = this.term(k, mx + NEGLIGIBLE);
      if (t > mx) {
        sum = mx === -Infinity ? 1 : sum * Math.exp(mx - t) + 1;
        mx = t;
      } else if (t - mx > NEGLIGIBLE) sum += Math.exp(t - mx);
    }
    this.acc[0] = mx;
    this.acc[1] = sum;
  }

  /**
   * log density at the current point, summed online (log-sum-exp with a running maximum).
   * Kernels are visited near-first: the prior, then blocks outward from the point along the
   * block dimension, skipping a block whose best possible term is NEGLIGIBLE below the running
   * maximum (without blocks: all kernels in order). Returns NaN as soon as the partial log
   * density exceeds `giveUpAt`: the full density can only be larger.
   */
  private evalPoint(giveUpAt = Infinity): number {
    const K = this.size;
    const acc = this.acc;
    acc[0] = -Infinity;
    acc[1] = 0;
    this.accumulate(null, K - 1, K);
    const bl = this.blocks;
    if (bl === null) {
      for (let from = 0; from < K - 1; from += 64) {
        this.accumulate(null, from, Math.min(K - 1, from + 64));
        if (acc[0] + Math.log(acc[1]) > giveUpAt) return NaN;
      }
      return acc[0] + Math.log(acc[1]);
    }
    const x0 = this.px[0];
    const nb = bl.lo.length;
    let lo = 0;
    let hi = nb - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bl.hi[mid] < x0) lo = mid + 1;
      else hi = mid;
    }
    for (let step = 0; step < 2 * nb; step++) {
      const b = step % 2 === 0 ? lo + step / 2 : lo - (step + 1) / 2;
      if (b < 0 || b >= nb) continue;
      const gap = x0 < bl.lo[b] ? bl.lo[b] - x0 : x0 > bl.hi[b] ? x0 - bl.hi[b] : 0;
      const zb = gap / bl.sigma[b];
      if (bl.bound[b] - 0.5 * zb * zb <= acc[0] + NEGLIGIBLE) continue;
      this.accumulate(bl.perm, b * BLOCK, Math.min(bl.perm.length, (b + 1) * BLOCK));
      if (acc[0] + Math.log(acc[1]) > giveUpAt) return NaN;
    }
    return acc[0] + Math.log(acc[1]);
  }

  /** log density of the mixture at each of the n points (given per dimension, internal values). */
  logPdf(points: readonly Float64Array[], n: number): Float64Array {
    this.prepare(points, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.setPoint(i);
      out[i] = this.evalPoint();
    }
    return out;
  }

  /**
   * argmax over the n points of logL[i] − log(this density) — TPE's choice among the
   * candidates, with this estimator as g. Exact (ties to the lowest index, as a plain argmax),
   * but candidates are tried in decreasing logL and one is dropped as soon as its partial
   * g already makes it worse than the best so far: most of the bad set is never visited.
   */
  bestRatio(logL: Float64Array, points: readonly Float64Array[], n: number): number {
    this.prepare(points, n);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => logL[b] - logL[a] || a - b);
    let best = -Infinity;
    let bestIdx = Infinity;
    for (const i of order) {
      this.setPoint(i);
      const lg = this.evalPoint(best === -Infinity ? Infinity : logL[i] - best);
      if (Number.isNaN(lg)) continue;
      const score = logL[i] - lg;
      if (score > best || (score === best && i < bestIdx)) {
        best = score;
        bestIdx = i;
      }
    }
    return Number.isFinite(bestIdx) ? bestIdx : 0;
  }
}
