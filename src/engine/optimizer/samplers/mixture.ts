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
import { argsortStable, kernelSigmas } from './bandwidth.js';
import { BLOCK, buildBlocks, type KernelBlocks } from './kernel-blocks.js';
import { buildCategorical, LN_SQRT_2PI, logMassInside, mixtureWeights, type CategoricalDim, type NumericDim } from './kernels.js';

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
  readonly discrete: readonly NumericDim[];
  readonly categorical: readonly CategoricalDim[];
  /** Many kernels and a continuous dimension: kernels in blocks sorted by centre (kernel-blocks.ts). */
  readonly blocks: KernelBlocks | null;
}

function numericKernels(dim: Dim, obs: Float64Array, sig: Float64Array): NumericDim {
  const m = obs.length;
  const K = m + 1;
  const mus = new Float64Array(K);
  const sigmas = new Float64Array(K);
  mus.set(obs);
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
}

/**
 * @param obs one Float64Array per dimension (internal values, chronological order)
 * @param weights observation weights (without the prior), or undefined for the default weights
 * @param orders per dimension, a stable argsort of obs[d] when already known (else computed)
 */
export function buildMixture(dims: readonly Dim[], obs: readonly Float64Array[], opts: ParzenOptions, weights?: Float64Array, orders?: readonly (Int32Array | undefined)[]): Mixture {
  const m = obs.length > 0 ? obs[0].length : 0;
  const K = m + 1;
  const mixture = mixtureWeights(m, opts, weights);
  const base = Float64Array.from(mixture.logW);
  const rule = opts.bandwidth === 'auto' ? (opts.multivariate ? 'fixed' : 'gaps') : opts.bandwidth;
  const bw = { ...opts, rule } as const;
  const perDim = dims.map((dim, d) => {
    if (dim.kind === 'categorical') return buildCategorical(obs[d], dim, opts.prior_weight);
    return numericKernels(dim, obs[d], kernelSigmas(obs[d], dim.lowI, dim.highI, dims.length, bw, orders?.[d]));
  });
  const optuna31 = opts.log_pdf === 'optuna-3.1';
  const contIdx: number[] = [];
  const discrete: NumericDim[] = [];
  const categorical: CategoricalDim[] = [];
  dims.forEach((dim, d) => {
    const p = perDim[d];
    if (dim.kind === 'categorical') categorical.push(p as CategoricalDim);
    else if (dim.highI === dim.lowI) return;
    else if (dim.step === null || (optuna31 && dim.log)) contIdx.push(d);
    else discrete.push(p as NumericDim);
  });
  const nc = contIdx.length;
  const contMu = new Float64Array(K * nc);
  const contInv = new Float64Array(K * nc);
  contIdx.forEach((d, j) => {
    const p = perDim[d] as NumericDim;
    for (let k = 0; k < K; k++) {
      contMu[k * nc + j] = p.mus[k];
      contInv[k * nc + j] = p.invSigmas[k];
      base[k] -= (optuna31 ? 0 : -p.logInv[k]) + p.logMassIn[k] + LN_SQRT_2PI;
    }
  });
  let blocks: KernelBlocks | null = null;
  if (nc > 0 && m > 4 * BLOCK) {
    const d0 = contIdx[0];
    const p0 = perDim[d0] as NumericDim;
    const bound = Float64Array.from(base);
    for (const dp of discrete) for (let k = 0; k < K; k++) bound[k] -= Math.min(0, dp.logMassIn[k]);
    blocks = buildBlocks(orders?.[d0] ?? argsortStable(obs[d0]), p0.mus, p0.sigmas, bound);
  }
  return { dims, size: K, cumWeights: mixture.cum, base, perDim, contIdx, contMu, contInv, discrete, categorical, blocks };
}
