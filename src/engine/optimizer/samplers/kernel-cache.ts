/**
 * The log mass inside the bounds of a numeric dimension's kernels, by trial number, kept
 * across proposals for the kernels near a bound (the others have mass 1 to double precision
 * and cost nothing). From one proposal to the next the bad set gains a trial or two and only
 * their neighbours' bandwidths change, so such a kernel's mass is looked up (same centre, same
 * σ) instead of computed again from the normal CDF.
 */
export class KernelCache {
  private mu: Float64Array = new Float64Array(0);
  private sigma: Float64Array = new Float64Array(0);
  private mass: Float64Array = new Float64Array(0);

  /** The kept log mass of trial `num`'s kernel if it is (mu, sigma), else NaN. */
  logMassIn(num: number, mu: number, sigma: number): number {
    return num < this.mu.length && this.mu[num] === mu && this.sigma[num] === sigma ? this.mass[num] : NaN;
  }

  put(num: number, mu: number, sigma: number, logMassIn: number): void {
    if (num >= this.mu.length) {
      let cap = Math.max(64, this.mu.length);
      while (cap <= num) cap *= 2;
      const widen = (a: Float64Array): Float64Array => {
        const b = new Float64Array(cap).fill(NaN);
        b.set(a);
        return b;
      };
      this.mu = widen(this.mu);
      this.sigma = widen(this.sigma);
      this.mass = widen(this.mass);
    }
    this.mu[num] = mu;
    this.sigma[num] = sigma;
    this.mass[num] = logMassIn;
  }
}
