/**
 * Evaluation of a Parzen mixture (mixture.ts) at points: its log density, and TPE's choice
 * among candidates (argmax of log l − log g). Exact to the bit of a plain log-sum-exp over all
 * kernels, but cheaper: terms NEGLIGIBLE below the running maximum are skipped (they cannot
 * change the sum), kernels are visited near-first by blocks, discrete and categorical factors
 * come from mixture-terms.ts, and a candidate is dropped as soon as it cannot win.
 */
import { expNeg } from '../../math/exp.js';
import { NEGLIGIBLE } from './kernels.js';
import { BLOCK } from './kernel-blocks.js';
import type { Mixture } from './mixture.js';
import { CellTerms } from './mixture-terms.js';

export class MixtureEvaluator {
  private readonly size: number;
  private readonly base: Float64Array;
  private readonly contIdx: readonly number[];
  private readonly contMu: Float64Array;
  private readonly contInv: Float64Array;
  private readonly blocks: Mixture['blocks'];
  /** Discrete and categorical factors, when the mixture has such dimensions. */
  private readonly cells: CellTerms | null;
  /** The continuous coordinates of the point being evaluated. */
  private readonly px: Float64Array;
  private points: readonly Float64Array[] = [];

  constructor(mix: Mixture) {
    this.size = mix.size;
    this.base = mix.base;
    this.contIdx = mix.contIdx;
    this.contMu = mix.contMu;
    this.contInv = mix.contInv;
    this.blocks = mix.blocks;
    this.cells = mix.discrete.length + mix.categorical.length > 0 ? new CellTerms(mix.dims, mix.size, mix.discrete, mix.categorical) : null;
    this.px = new Float64Array(mix.contIdx.length);
  }

  /**
   * Kernel k's log term (log weight + log density) at the current point, or −Infinity as
   * soon as it is known to be <= cut. Exact: a term <= cut is NEGLIGIBLE below the running
   * maximum, hence dropped from the log-sum-exp anyway.
   */
  private term(cells: CellTerms, k: number, cut: number): number {
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
    const t = this.base[k] - 0.5 * q;
    return t <= cut ? -Infinity : cells.add(k, t, cut);
  }

  private prepare(points: readonly Float64Array[], n: number): void {
    this.points = points;
    this.cells?.prepare(points, n);
  }

  private setPoint(i: number): void {
    for (let j = 0; j < this.px.length; j++) this.px[j] = this.points[this.contIdx[j]][i];
    this.cells?.setPoint(this.points, i);
  }

  /** Running log-sum-exp of the current point: [max term, Σ exp(term − max)]. */
  private readonly acc = new Float64Array(2);

  /** Adds kernels perm[from..to) (or kernels from..to when perm is null) to the running sum. */
  private accumulate(perm: Int32Array | null, from: number, to: number): void {
    const cells = this.cells;
    const nc = this.px.length;
    // one continuous dimension (TPE's univariate groups): its own loop
    if (cells === null && nc === 1 && perm !== null) return this.accumulate1(perm, from, to);
    let mx = this.acc[0];
    let sum = this.acc[1];
    const base = this.base;
    const mu = this.contMu;
    const inv = this.contInv;
    const px = this.px;
    for (let r = from; r < to; r++) {
      const k = perm === null ? r : perm[r];
      let t: number;
      if (cells === null) {
        const o = k * nc;
        const floor = 2 * (base[k] - mx - NEGLIGIBLE);
        let q = 0;
        for (let j = 0; j < nc && q <= floor; j++) {
          const z = (px[j] - mu[o + j]) * inv[o + j];
          q += z * z;
        }
        t = base[k] - 0.5 * q;
      } else t = this.term(cells, k, mx + NEGLIGIBLE);
      if (t > mx) {
        sum = mx === -Infinity ? 1 : sum * expNeg(mx - t) + 1;
        mx = t;
      } else if (t - mx > NEGLIGIBLE) sum += expNeg(t - mx);
    }
    this.acc[0] = mx;
    this.acc[1] = sum;
  }

  /** accumulate for one continuous dimension and kernels perm[from..to). */
  private accumulate1(perm: Int32Array, from: number, to: number): void {
    let mx = this.acc[0];
    let sum = this.acc[1];
    const base = this.base;
    const mu = this.contMu;
    const inv = this.contInv;
    const x0 = this.px[0];
    for (let r = from; r < to; r++) {
      const k = perm[r];
      const z = (x0 - mu[k]) * inv[k];
      const t = base[k] - 0.5 * z * z;
      if (t > mx) {
        sum = mx === -Infinity ? 1 : sum * expNeg(mx - t) + 1;
        mx = t;
      } else if (t - mx > NEGLIGIBLE) sum += expNeg(t - mx);
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
