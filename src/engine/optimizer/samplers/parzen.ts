/**
 * Parzen estimator of TPE (Optuna 3.1's `_ParzenEstimator`): a mixture with one kernel per
 * observation plus a prior kernel (mixture.ts), drawn from by kernel and evaluated by
 * mixture-eval.ts.
 */
import type { Rng } from '../../random.js';
import { fromInternal, toInternal, type Dim } from '../space.js';
import { defaultWeights, type CategoricalDim, type NumericDim } from './kernels.js';
import { MixtureEvaluator } from './mixture-eval.js';
import { buildMixture, type Mixture, type MixtureInputs, type ParzenOptions } from './mixture.js';
import { truncnormPpf } from './truncnorm.js';

export { defaultWeights, type ParzenOptions };

export class ParzenEstimator {
  /** Number of kernels (observations + prior). */
  readonly size: number;
  private readonly dims: readonly Dim[];
  private readonly cumWeights: Float64Array;
  private readonly perDim: Mixture['perDim'];
  private readonly evaluator: MixtureEvaluator;

  /** @param obs one Float64Array per dimension (internal values, chronological order) */
  constructor(dims: readonly Dim[], obs: readonly Float64Array[], opts: ParzenOptions, inputs: MixtureInputs = {}) {
    const mix = buildMixture(dims, obs, opts, inputs);
    this.size = mix.size;
    this.dims = dims;
    this.cumWeights = mix.cumWeights;
    this.perDim = mix.perDim;
    this.evaluator = new MixtureEvaluator(mix);
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

  /** log density of the mixture at each of the n points (given per dimension, internal values). */
  logPdf(points: readonly Float64Array[], n: number): Float64Array {
    return this.evaluator.logPdf(points, n);
  }

  /** argmax over the n points of logL[i] − log(this density): TPE's choice among the candidates, with this estimator as g. */
  bestRatio(logL: Float64Array, points: readonly Float64Array[], n: number): number {
    return this.evaluator.bestRatio(logL, points, n);
  }
}
