import { kernelNormalisers, type NumericDim } from './kernels.js';

/**
 * Normalisers of a numeric dimension's kernels (1/σ, the log mass inside the bounds, −log σ)
 * by trial number, kept across proposals. From one proposal to the next the bad set gains a
 * trial or two and only their neighbours' bandwidths change, so almost every kernel's
 * normalisers are looked up (same centre, same σ) instead of computed again.
 */
export class KernelCache {
  private mu: Float64Array = new Float64Array(0);
  private sigma: Float64Array = new Float64Array(0);
  private inv: Float64Array = new Float64Array(0);
  private logMassIn: Float64Array = new Float64Array(0);
  private logInv: Float64Array = new Float64Array(0);

  private grow(num: number): void {
    let cap = Math.max(64, this.mu.length);
    while (cap <= num) cap *= 2;
    const widen = (a: Float64Array, fill: number): Float64Array => {
      const b = new Float64Array(cap).fill(fill);
      b.set(a);
      return b;
    };
    this.mu = widen(this.mu, NaN);
    this.sigma = widen(this.sigma, NaN);
    this.inv = widen(this.inv, 0);
    this.logMassIn = widen(this.logMassIn, 0);
    this.logInv = widen(this.logInv, 0);
  }

  /**
   * kernelNormalisers of the m observation kernels and the prior (last) of p, whose trial
   * numbers are nums: looked up where the cache holds the same (centre, σ), else computed
   * and kept.
   */
  normalisers(p: NumericDim, nums: Int32Array, inv: Float64Array, logMassIn: Float64Array, logInv: Float64Array): void {
    const { mus, sigmas } = p;
    const m = mus.length - 1;
    let max = 0;
    for (let k = 0; k < m; k++) if (nums[k] > max) max = nums[k];
    if (max >= this.mu.length) this.grow(max);
    for (let k = 0; k < m; k++) {
      const num = nums[k];
      if (this.mu[num] === mus[k] && this.sigma[num] === sigmas[k]) {
        inv[k] = this.inv[num];
        logMassIn[k] = this.logMassIn[num];
        logInv[k] = this.logInv[num];
        continue;
      }
      kernelNormalisers(p, k, k + 1, inv, logMassIn, logInv);
      this.mu[num] = mus[k];
      this.sigma[num] = sigmas[k];
      this.inv[num] = inv[k];
      this.logMassIn[num] = logMassIn[k];
      this.logInv[num] = logInv[k];
    }
    kernelNormalisers(p, m, m + 1, inv, logMassIn, logInv);
  }
}
