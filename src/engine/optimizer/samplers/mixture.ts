/**
 * The kernels of a Parzen estimator (Optuna 3.1's `_ParzenEstimator`): one per observation
 * plus a prior kernel, a product over parameters of truncated Gaussians (numeric, in the
 * internal space of `space.ts`) or categorical tables, laid out for evaluation
 * (mixture-eval.ts) and sampling (parzen.ts).
 *
 * - weights: the observation weights (oldest ramped down when m ≥ 25) and `prior_weight`
 *   for the prior kernel, normalised;
 * - bandwidths per dimension as in `bandwidth.ts`; the prior kernel: centre mid-range, σ = range;
 * - discrete parameters (step q): a kernel's probability of a grid value is its mass over the
 *   value's cell [x − q/2, x + q/2] (in log space for log ints);
 * - categorical: observation i gives p(c) ∝ prior_weight/(m+1) + [c = cᵢ], the prior is uniform.
 */
import type { Dim } from '../space.js';
import { argsortStable, kernelSigmasInto, type BandwidthOptions } from './bandwidth.js';
import { BLOCK, buildBlocks, type KernelBlocks } from './kernel-blocks.js';
import type { KernelCache } from './kernel-cache.js';
import { buildCategorical, kernelNormalisers, LN_SQRT_2PI, mixtureWeights, type CategoricalDim, type DiscreteDim, type NumericDim } from './kernels.js';

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

export interface Mixture {
  readonly dims: readonly Dim[];
  /** Number of kernels (observations + prior, the prior last). */
  readonly size: number;
  /** Cumulative normalised weights (kernel draw). */
  readonly cumWeights: Float64Array;
  /** log weight − Σ log-normalisers of the continuous dimensions, per kernel. */
  readonly base: Float64Array;
  /** Per dimension (declaration order) its kernels. */
  readonly perDim: readonly (NumericDim | CategoricalDim)[];
  /** The continuous dimensions (indices into dims); their centres and 1/σ interleaved per kernel: [k · nc + j]. */
  readonly contIdx: readonly number[];
  readonly contMu: Float64Array;
  readonly contInv: Float64Array;
  readonly discrete: readonly DiscreteDim[];
  readonly categorical: readonly CategoricalDim[];
  /** Many kernels and a continuous dimension: kernels in blocks sorted by centre (kernel-blocks.ts). */
  readonly blocks: KernelBlocks | null;
}

/** Centres (observations, then the prior's mid-range) and bandwidths (the prior's: the range) of a numeric dimension. */
function numericKernels(dim: Dim, obs: Float64Array, nDims: number, bw: BandwidthOptions, order: Int32Array | undefined): NumericDim {
  const m = obs.length;
  const mus = new Float64Array(m + 1);
  const sigmas = new Float64Array(m + 1);
  mus.set(obs);
  kernelSigmasInto(sigmas, obs, dim.lowI, dim.highI, nDims, bw, order);
  mus[m] = 0.5 * (dim.lowI + dim.highI);
  sigmas[m] = dim.highI > dim.lowI ? dim.highI - dim.lowI : 1;
  return { dim, mus, sigmas };
}

/** Optional inputs of buildMixture. */
export interface MixtureInputs {
  /** Observation weights (without the prior); default: Optuna's (defaultWeights). */
  readonly weights?: Float64Array;
  /** Per dimension, a stable argsort of its observations when already known. */
  readonly orders?: readonly (Int32Array | undefined)[];
  /** The observations' trial numbers, with per dimension a cache of their kernels' normalisers. */
  readonly nums?: Int32Array;
  readonly caches?: readonly (KernelCache | undefined)[];
}

function discreteKernels(p: NumericDim, nums?: Int32Array, cache?: KernelCache): DiscreteDim {
  const K = p.mus.length;
  const invSigmas = new Float64Array(K);
  const logMassIn = new Float64Array(K);
  const logInv = new Float64Array(K);
  kernelNormalisers(p, invSigmas, logMassIn, logInv, nums, cache);
  return { ...p, invSigmas, logMassIn, logInv };
}

/** Scratch normalisers of a continuous dimension (folded into the mixture at once). */
let scratch = { inv: new Float64Array(0), logMassIn: new Float64Array(0), logInv: new Float64Array(0) };

function scratchOf(K: number): typeof scratch {
  if (scratch.inv.length < K) scratch = { inv: new Float64Array(2 * K), logMassIn: new Float64Array(2 * K), logInv: new Float64Array(2 * K) };
  return scratch;
}

/** @param obs one Float64Array per dimension (internal values, chronological order) */
export function buildMixture(dims: readonly Dim[], obs: readonly Float64Array[], opts: ParzenOptions, inputs: MixtureInputs = {}): Mixture {
  const { weights, orders, nums, caches } = inputs;
  const m = obs.length > 0 ? obs[0].length : 0;
  const K = m + 1;
  const mixture = mixtureWeights(m, opts, weights);
  const base = Float64Array.from(mixture.logW);
  const rule = opts.bandwidth === 'auto' ? (opts.multivariate ? 'fixed' : 'gaps') : opts.bandwidth;
  const bw: BandwidthOptions = { ...opts, rule };
  const optuna31 = opts.log_pdf === 'optuna-3.1';
  const contIdx: number[] = [];
  const discrete: DiscreteDim[] = [];
  const categorical: CategoricalDim[] = [];
  const perDim: (NumericDim | CategoricalDim)[] = [];
  dims.forEach((dim, d) => {
    if (dim.kind === 'categorical') {
      const c = buildCategorical(obs[d], dim, opts.prior_weight);
      categorical.push(c);
      perDim.push(c);
      return;
    }
    const p = numericKernels(dim, obs[d], dims.length, bw, orders?.[d]);
    if (dim.highI === dim.lowI) perDim.push(p);
    else if (dim.step === null || (optuna31 && dim.log)) {
      contIdx.push(d);
      perDim.push(p);
    } else {
      const q = discreteKernels(p, nums, caches?.[d]);
      discrete.push(q);
      perDim.push(q);
    }
  });
  // continuous dimensions: interleaved centres and 1/σ, and their normalisers folded into base
  // (one continuous dimension: its own centres, and 1/σ computed straight into contInv)
  const nc = contIdx.length;
  const contMu = nc === 1 ? (perDim[contIdx[0]] as NumericDim).mus : new Float64Array(K * nc);
  const contInv = new Float64Array(K * nc);
  const { inv: scratchInv, logMassIn, logInv } = scratchOf(K);
  const inv = nc === 1 ? contInv : scratchInv;
  contIdx.forEach((d, j) => {
    const mus = (perDim[d] as NumericDim).mus;
    kernelNormalisers(perDim[d] as NumericDim, inv, logMassIn, logInv, nums, caches?.[d]);
    for (let k = 0; k < K; k++) {
      if (nc > 1) {
        contMu[k * nc + j] = mus[k];
        contInv[k * nc + j] = inv[k];
      }
      base[k] -= (optuna31 ? 0 : -logInv[k]) + logMassIn[k] + LN_SQRT_2PI;
    }
  });
  let blocks: KernelBlocks | null = null;
  if (nc > 0 && m > 4 * BLOCK) {
    const d0 = contIdx[0];
    const p0 = perDim[d0] as NumericDim;
    // an upper bound of each kernel's log term before its d0 factor (discrete cell masses are <= their kernel's mass inside)
    const bound = discrete.length === 0 ? base : Float64Array.from(base);
    for (const dp of discrete) for (let k = 0; k < K; k++) bound[k] -= Math.min(0, dp.logMassIn[k]);
    blocks = buildBlocks(orders?.[d0] ?? argsortStable(obs[d0]), p0.mus, p0.sigmas, bound);
  }
  return { dims, size: K, cumWeights: mixture.cum, base, perDim, contIdx, contMu, contInv, discrete, categorical, blocks };
}
